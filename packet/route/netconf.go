package route

import "github.com/nlsh/nlsh/packet/schema"

// Netconf is the netconf object. (Being written: see issue 3.)
var Netconf = &schema.Object{Message: &schema.Message{Name: "netconf", Attrs: schema.NewAttrSet("netconf")}}
