package model

// slotState is what the twin says of a slot's line.
type slotState int

const (
	never   slotState = iota // no create of it has succeeded
	live                     // it exists
	deleted                  // it existed and was deleted
)

// draft is a sequence being drawn, with the twin's view of its lines.
type draft struct {
	focus Focus
	seq   Sequence
	sc    scene
	made  map[string]*line
	state []slotState
	kin   []slotState
	sent  int // creates sent without validation=1
	lines int // the most creates without validation=1 it may send
}

// liveNames are the names of the sequence's lines that exist.
func (d *draft) liveNames() []NameRef {
	var out []NameRef
	for i := range d.state {
		if d.state[i] == live {
			out = append(out, NameRef{Slot: i})
		}
		if d.kin[i] == live {
			out = append(out, NameRef{Form: Kin, Slot: i})
		}
	}
	return out
}

// at is what the draft knows of the line n names.
func (d *draft) at(n NameRef) slotState {
	switch n.Form {
	case Slot:
		return d.state[n.Slot]
	case Kin:
		return d.kin[n.Slot]
	}
	return never
}
