// A real WebSocket server (Go's github.com/gorilla/websocket, Debian's golang-github-gorilla-websocket-dev)
// that the Duplex client's interop tests talk to.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o gorilla-echo-server gorilla_echo_server.go
//	./gorilla-echo-server
//
// Listens on 127.0.0.1 and a free port and prints one line, "listening PORT gorilla/websocket on Go
// VERSION", then serves until its standard input closes. The behaviour, on any path (the same for the
// Node.js and Python servers beside it; docs/interop.md):
//   - subprotocols: picks the first of "duplex.v2", "duplex.v1" (the server's preference) that the client
//     offers, none otherwise;
//   - echoes every text and binary message as it came;
//   - "please close": closes with 4001 "closing as asked";
//   - "please fragment text" / "please fragment binary": sends fragmentedText / fragmentedBinary as one
//     message in several fragments: gorilla's NextWriter ends a frame whenever its write buffer
//     (writeBufferSize bytes of payload) fills, at any byte, so text is cut inside characters;
//   - when a connection ends, prints "closed PATH CODE REASON" with the close code the server received
//     (1005 for none, 1006 when the connection dropped).
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
)

// Small, so that a message of a few kilobytes leaves in several frames (and 1 MiB in about a thousand).
const writeBufferSize = 1024

var (
	fragmentedText   = []byte(strings.Repeat("fragment \U0001D11E \u00FC ", 300))
	fragmentedBinary = func() []byte {
		b := make([]byte, 5000)
		for i := range b {
			b[i] = byte(i % 256)
		}
		return b
	}()
	upgrader = websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: writeBufferSize,
		// gorilla picks the first of these that the client offers: the server's preference.
		Subprotocols: []string{"duplex.v2", "duplex.v1"},
		CheckOrigin:  func(r *http.Request) bool { return true },
	}
	// Printing from several connections at once: one line at a time.
	stdout sync.Mutex
)

func println(line string) {
	stdout.Lock()
	defer stdout.Unlock()
	fmt.Println(line)
}

// sendInPieces writes one message through NextWriter in several Write calls; the frames are cut by the
// write buffer, not by the calls.
func sendInPieces(conn *websocket.Conn, messageType int, data []byte) error {
	w, err := conn.NextWriter(messageType)
	if err != nil {
		return err
	}
	for start := 0; start < len(data); start += 700 {
		end := start + 700
		if end > len(data) {
			end = len(data)
		}
		if _, err := w.Write(data[start:end]); err != nil {
			return err
		}
	}
	return w.Close()
}

func serve(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered with an HTTP error
	}
	defer conn.Close()
	path := r.URL.RequestURI()
	code, reason := websocket.CloseNoStatusReceived, ""
	// The default handler answers the client's close frame with the same code; remember what came.
	defaultHandler := conn.CloseHandler()
	conn.SetCloseHandler(func(c int, text string) error {
		code, reason = c, text
		return defaultHandler(c, text)
	})
	for {
		messageType, data, err := conn.ReadMessage()
		if err != nil {
			var closeErr *websocket.CloseError
			if !errors.As(err, &closeErr) {
				code, reason = websocket.CloseAbnormalClosure, ""
			}
			break
		}
		switch {
		case messageType == websocket.TextMessage && string(data) == "please close":
			message := websocket.FormatCloseMessage(4001, "closing as asked")
			err = conn.WriteMessage(websocket.CloseMessage, message)
		case messageType == websocket.TextMessage && string(data) == "please fragment text":
			err = sendInPieces(conn, websocket.TextMessage, fragmentedText)
		case messageType == websocket.TextMessage && string(data) == "please fragment binary":
			err = sendInPieces(conn, websocket.BinaryMessage, fragmentedBinary)
		default:
			err = conn.WriteMessage(messageType, data)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "error on %s: %v\n", path, err)
		}
	}
	println(fmt.Sprintf("closed %s %d %s", path, code, reason))
}

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot listen:", err)
		os.Exit(1)
	}
	println(fmt.Sprintf("listening %d gorilla/websocket on Go %s", listener.Addr().(*net.TCPAddr).Port,
		strings.TrimPrefix(runtime.Version(), "go")))
	go func() {
		// Serve until the test closes our standard input.
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	if err := http.Serve(listener, http.HandlerFunc(serve)); err != nil {
		fmt.Fprintln(os.Stderr, "serve failed:", err)
		os.Exit(1)
	}
}
