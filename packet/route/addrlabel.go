package route

import "github.com/nlsh/nlsh/packet/schema"

// AddrLabel is the addrlabel object. (Being written: see issue 3.)
var AddrLabel = &schema.Object{Message: &schema.Message{Name: "addrlabel", Attrs: schema.NewAttrSet("addrlabel")}}
