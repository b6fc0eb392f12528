package route

import "github.com/nlsh/nlsh/packet/schema"

// Neigh is the neigh object. (Being written: see issue 3.)
var Neigh = &schema.Object{Message: &schema.Message{Name: "neigh", Attrs: schema.NewAttrSet("neigh")}}
