package outcome

import "fmt"

// Lines is the run's account of the target's lines (docs/conformance.md:
// cleanup): max_lines, the creates booked against it, the lines created
// and deleted, the creates that got no clear answer, each line left
// behind and why, and every name the run tried to create.
type Lines struct {
	Max     int    `json:"max"`
	Booked  int    `json:"booked"`
	Created int    `json:"created"`
	Deleted int    `json:"deleted"`
	Unsure  int    `json:"unsure"`
	Left    []Left `json:"left,omitempty"`
	// Tried is every name the run tried to create, whatever the answer:
	// what enswitch-conformance cleanup --from deletes.
	Tried []string `json:"tried,omitempty"`
}

// Left is a line the run left behind and why.
type Left struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// Requests is what the run sent one function (docs/conformance.md: target
// errors): each request once, unless --retries sent it again; how many
// got no answer; how many the retry rules sent again.
type Requests struct {
	Function   string `json:"function"`
	Sent       int    `json:"sent"`
	Unanswered int    `json:"unanswered"`
	Resent     int    `json:"resent,omitempty"`
}

// Silences sums rs: the requests sent and those without an answer, and
// the functions of the latter as "phones/create 12, phones/delete 3",
// most first.
func Silences(rs []Requests) (sent, unanswered int, byFunction Tally) {
	byFunction = Tally{}
	for _, r := range rs {
		sent += r.Sent
		unanswered += r.Unanswered
		if r.Unanswered > 0 {
			byFunction[r.Function] = r.Unanswered
		}
	}
	return sent, unanswered, byFunction
}

// Retries is what --retries did (docs/conformance.md: retries): the most
// tries it allowed a request, how many requests were sent again, and how
// many of those then got an answer.
type Retries struct {
	Max      int `json:"max"`
	Sent     int `json:"sent"`
	Answered int `json:"answered"`
}

// Any says the run allowed retries or sent a request again.
func (r Retries) Any() bool { return r.Max > 0 || r.Sent > 0 }

// String is r in a line: "5 requests sent again, 4 of them then answered
// (--retries 3)".
func (r Retries) String() string {
	noun := "requests"
	if r.Sent == 1 {
		noun = "request"
	}
	return fmt.Sprintf("%d %s sent again, %d of them then answered (--retries %d)", r.Sent, noun, r.Answered, r.Max)
}
