// The Go peer of bench:startup's memory row: a varlink-go service whose one method answers with
// a string of the size asked for, as test/bench/big-reply-server.ts does for varlink-ts.
// Built by the bench with the Debian packages golang-go and golang-github-varlink-go-dev.
package main

import (
	"context"
	"os"
	"strings"

	"github.com/varlink/go/varlink"
)

const description = `interface org.example.bench

method Blob(size: int) -> (data: string)
`

type bench struct{}

func (bench) VarlinkGetName() string        { return "org.example.bench" }
func (bench) VarlinkGetDescription() string { return description }

func (bench) VarlinkDispatch(ctx context.Context, call varlink.Call, method string) error {
	if method != "Blob" {
		return call.ReplyMethodNotFound(ctx, method)
	}
	var in struct {
		Size int `json:"size"`
	}
	if err := call.GetParameters(&in); err != nil {
		return call.ReplyInvalidParameter(ctx, "size")
	}
	return call.Reply(ctx, &struct {
		Data string `json:"data"`
	}{strings.Repeat("x", in.Size)})
}

func main() {
	service, err := varlink.NewService("varlink-ts", "bench", "1", "https://github.com/varlink")
	if err != nil {
		panic(err)
	}
	if err := service.RegisterInterface(bench{}); err != nil {
		panic(err)
	}
	if err := service.Listen(context.Background(), os.Args[1], 0); err != nil {
		panic(err)
	}
}
