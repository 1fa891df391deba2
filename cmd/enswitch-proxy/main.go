// Command enswitch-proxy is a validating proxy in front of an Enswitch
// server (or enswitch-mock): it forwards every request unchanged, answers
// with the upstream's answer unchanged, and logs each way the client or the
// server breaks the contract (see proxy and docs/proxy.md).
//
//	enswitch-proxy --upstream URL [--addr 127.0.0.1:8081] [--enswitch-version V] [--strict] [--report FILE] [--junit-report FILE]
//
// Exit codes: 0 stopped by SIGINT or SIGTERM with no violation seen, 1
// could not start or serve, 2 a wrong flag or variable, 3 stopped after
// seeing violations.
package main

import "github.com/enswitch-kit/phones/internal/serve"

func main() { serve.Main("enswitch-proxy", run) }
