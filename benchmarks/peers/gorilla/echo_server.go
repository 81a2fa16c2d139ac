// The gorilla/websocket echo server that bin/loadtest compares Duplex with (benchmarks/peers/gorilla).
// Built from Debian's packages only (golang-go, golang-github-gorilla-websocket-dev) in GOPATH mode:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o target/gorilla-echo echo_server.go
//	target/gorilla-echo --port P [--host 127.0.0.1] [--path /echo]
//
// Set up as gorilla's documentation describes for an echo server: one goroutine per connection reading
// with NextReader and writing each message back through NextWriter with io.Copy (no copy of the whole
// message), compression off (EnableCompression false, gorilla's default), read and write buffers of
// 4096 bytes (its default size), any Origin accepted. Go sets TCP_NODELAY on every TCP connection. One
// core: GOMAXPROCS is set to 1 (Go would also take it from the CPU affinity taskset gives it). Prints
// one line when listening; runs until killed.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:    4096,
	WriteBufferSize:   4096,
	EnableCompression: false,
	CheckOrigin:       func(r *http.Request) bool { return true },
}

// echo copies every message back with its own type until the connection ends.
func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the request with an error status
	}
	defer conn.Close()
	conn.SetReadLimit(1 << 20) // Duplex's default message limit, 1 MiB
	for {
		messageType, reader, err := conn.NextReader()
		if err != nil {
			return
		}
		writer, err := conn.NextWriter(messageType)
		if err != nil {
			return
		}
		if _, err := io.Copy(writer, reader); err != nil {
			return
		}
		if err := writer.Close(); err != nil {
			return
		}
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", -1, "port to listen on")
	path := flag.String("path", "/echo", "WebSocket path")
	flag.Parse()
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(os.Stderr, "--port %d is not in 0..65535\n", *port)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(1)
	listener, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(*path, echo)
	fmt.Printf("gorilla-echo listening on %s path %s %s GOMAXPROCS %d\n", listener.Addr(), *path, runtime.Version(),
		runtime.GOMAXPROCS(0))
	if err := http.Serve(listener, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
