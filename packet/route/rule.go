package route

import "github.com/nlsh/nlsh/packet/schema"

// Rule is the rule object. (Being written: see issue 3.)
var Rule = &schema.Object{Message: &schema.Message{Name: "rule", Attrs: schema.NewAttrSet("rule")}}
