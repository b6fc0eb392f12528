package route

import "github.com/nlsh/nlsh/packet/schema"

// Nexthop is the nexthop object. (Being written: see issue 3.)
var Nexthop = &schema.Object{Message: &schema.Message{Name: "nexthop", Attrs: schema.NewAttrSet("nexthop")}}
