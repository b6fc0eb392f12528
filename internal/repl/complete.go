package repl

import (
	"sort"
	"strings"
	"unicode"

	"go.starlark.net/starlark"
)

// Completer completes what the REPL's user is typing: global names, the
// members of modules and the fields of objects after a dot (ip.li<TAB>,
// l.<TAB>), and the keyword arguments of nlsh functions inside a call
// (ip.route.add(ta<TAB>). It only looks names up — it never calls a
// function — so completing cannot change anything or block.
type Completer struct {
	// Globals returns the REPL's current globals.
	Globals func() starlark.StringDict
}

// Keywords is implemented by functions that know their keyword arguments.
type Keywords interface {
	Keywords() []string
}

var starlarkKeywords = []string{"and", "break", "continue", "def", "elif", "else", "for", "if", "in", "lambda", "load", "not", "or", "pass", "return", "while"}

// Do implements readline.AutoCompleter: it returns the endings of every
// candidate for the word before pos, and the length of that word.
func (c *Completer) Do(line []rune, pos int) ([][]rune, int) {
	text := string(line[:pos])
	start := len(text)
	for start > 0 {
		r := rune(text[start-1])
		if r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			start--
			continue
		}
		break
	}
	word := text[start:]
	cands := c.Candidates(text[:start], word)
	var prefix string
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		prefix = word[i+1:]
	} else {
		prefix = word
	}
	out := make([][]rune, len(cands))
	for i, cand := range cands {
		out[i] = []rune(cand[len(prefix):])
	}
	return out, len([]rune(prefix))
}

// Candidates returns the completions of word, which follows before on the
// line: whole names, sorted.
func (c *Completer) Candidates(before, word string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name, prefix string) {
		if strings.HasPrefix(name, prefix) && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	globals := c.Globals()
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		v := c.lookup(globals, word[:i])
		prefix := word[i+1:]
		if ha, ok := v.(starlark.HasAttrs); ok {
			for _, n := range ha.AttrNames() {
				if !strings.HasPrefix(n, "_") || strings.HasPrefix(prefix, "_") {
					add(n, prefix)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	if fn := c.lookup(globals, callee(before)); fn != nil {
		if kw, ok := fn.(Keywords); ok {
			for _, k := range kw.Keywords() {
				add(k+"=", word)
			}
		}
	}
	for n := range globals {
		add(n, word)
	}
	for n := range starlark.Universe {
		add(n, word)
	}
	for _, k := range starlarkKeywords {
		add(k, word)
	}
	sort.Strings(out)
	return out
}

// lookup resolves a dotted name without calling anything, or returns nil.
func (c *Completer) lookup(globals starlark.StringDict, dotted string) starlark.Value {
	if dotted == "" {
		return nil
	}
	parts := strings.Split(dotted, ".")
	v, ok := globals[parts[0]]
	if !ok {
		v, ok = starlark.Universe[parts[0]]
	}
	if !ok {
		return nil
	}
	for _, p := range parts[1:] {
		ha, isAttrs := v.(starlark.HasAttrs)
		if !isAttrs {
			return nil
		}
		next, err := ha.Attr(p)
		if err != nil || next == nil {
			return nil
		}
		v = next
	}
	return v
}

// callee returns the dotted name of the function whose call is open at the
// end of before, or "".
func callee(before string) string {
	depth := 0
	for i := len(before) - 1; i >= 0; i-- {
		switch before[i] {
		case ')', ']', '}':
			depth++
		case '[', '{':
			depth--
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			j := i
			for j > 0 {
				r := rune(before[j-1])
				if r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) {
					j--
					continue
				}
				break
			}
			return before[j:i]
		}
	}
	return ""
}
