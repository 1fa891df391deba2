// Command ceiling is the bench's yardstick: net/http answering a fixed
// envelope with no parsing at all. Nothing real can be faster.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

var answer = []byte(`{"responses":[{"code":"204","key":"","message":"OK"}]}`)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
	fmt.Printf("ceiling listening on http://%s\n", ln.Addr())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	fmt.Fprintln(os.Stderr, "ceiling:", err)
	os.Exit(1)
}
