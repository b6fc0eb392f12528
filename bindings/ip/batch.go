package ip

import (
	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings"
)

// newBatch is ip.batch(): a batch over the ip module's objects.
func newBatch(_ *starlark.Thread, sess *bindings.Session, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kw); err != nil {
		return nil, err
	}
	return bindings.NewBatch("ip.batch", sess, Specs()), nil
}
