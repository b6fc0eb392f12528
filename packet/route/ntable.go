package route

import "github.com/nlsh/nlsh/packet/schema"

// NTable is the ntable object. (Being written: see issue 3.)
var NTable = &schema.Object{Message: &schema.Message{Name: "ntable", Attrs: schema.NewAttrSet("ntable")}}
