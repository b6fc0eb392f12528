package route

import "github.com/nlsh/nlsh/packet/schema"

// NSID is the nsid object. (Being written: see issue 3.)
var NSID = &schema.Object{Message: &schema.Message{Name: "nsid", Attrs: schema.NewAttrSet("nsid")}}
