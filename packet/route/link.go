package route

import "github.com/nlsh/nlsh/packet/schema"

// Link is the link object. (Being written: see issue 3.)
var Link = &schema.Object{Message: &schema.Message{Name: "link", Attrs: schema.NewAttrSet("link")}}
