package route

import "github.com/nlsh/nlsh/packet/schema"

// Route is the route object. (Being written: see issue 3.)
var Route = &schema.Object{Message: &schema.Message{Name: "route", Attrs: schema.NewAttrSet("route")}}
