package repl

import (
	"strings"

	"go.starlark.net/syntax"
)

// Chunker groups input lines into complete statements. It never drops a
// line: a line that ends an indented block by dedenting is the start of
// the next statement, not a throwaway (the bug of go.starlark.net/repl).
//
// A simple statement is complete as soon as it parses; one with open
// brackets or a trailing backslash waits for more lines. A compound
// statement (def, for, if, while, ...) is complete at a blank line or at
// the first line that is not indented and does not continue it (else,
// elif).
type Chunker struct {
	opts  *syntax.FileOptions
	lines []string
	block bool
}

// NewChunker returns a Chunker that parses with opts.
func NewChunker(opts *syntax.FileOptions) *Chunker { return &Chunker{opts: opts} }

// Pending reports whether lines are waiting for the rest of a statement.
func (c *Chunker) Pending() bool { return len(c.lines) > 0 }

// Reset drops the pending lines, as Ctrl-C at the prompt does.
func (c *Chunker) Reset() { c.lines, c.block = nil, false }

// Flush returns the pending lines as a chunk, at the end of input.
func (c *Chunker) Flush() string {
	src := strings.Join(c.lines, "\n")
	c.Reset()
	return src
}

// Feed adds one line and returns the chunks it completed, zero, one or
// two of them (a dedent completes a block and may itself be a complete
// statement).
func (c *Chunker) Feed(line string) []string {
	var done []string
	if c.block && line != "" && !indented(line) && !continuesBlock(line) {
		done = append(done, c.Flush())
	}
	if len(c.lines) == 0 && strings.TrimSpace(line) == "" {
		return done
	}
	c.lines = append(c.lines, line)
	if len(c.lines) == 1 {
		c.block = opensBlock(line)
	}
	if c.block {
		if strings.TrimSpace(line) == "" && c.parses() {
			done = append(done, c.Flush())
		}
		return done
	}
	if c.parses() || !c.incomplete() {
		done = append(done, c.Flush())
	}
	return done
}

// parses reports whether the pending lines are a complete program.
func (c *Chunker) parses() bool {
	_, err := c.opts.Parse("<stdin>", strings.Join(c.lines, "\n")+"\n", 0)
	return err == nil
}

// incomplete reports whether the pending lines fail to parse only because
// the input stopped early: open brackets, a trailing backslash, an
// unterminated triple-quoted string.
func (c *Chunker) incomplete() bool {
	src := strings.Join(c.lines, "\n") + "\n"
	_, err := c.opts.Parse("<stdin>", src, 0)
	if err == nil {
		return false
	}
	msg := err.Error()
	if strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "got end of file") ||
		strings.Contains(msg, "unexpected end of") || strings.Contains(msg, "unterminated") && strings.Contains(src, `"""`) ||
		strings.Contains(msg, "unterminated") && strings.Contains(src, "'''") {
		return true
	}
	last := strings.TrimRight(c.lines[len(c.lines)-1], " \t")
	return strings.HasSuffix(last, "\\") || openBrackets(src) > 0
}

// openBrackets counts brackets left open, ignoring those in strings and
// comments.
func openBrackets(src string) int {
	depth := 0
	eachCodeByte(src, func(i int, ch byte) bool {
		switch ch {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		return true
	})
	return depth
}

// eachCodeByte calls fn for each byte of src outside string literals and
// comments, until fn returns false. A comment's # is passed to fn; the
// rest of the comment is not.
func eachCodeByte(src string, fn func(i int, ch byte) bool) {
	var quote byte
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case quote != 0:
			if ch == '\\' {
				i++
			} else if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == '#':
			if !fn(i, ch) {
				return
			}
			for i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			if !fn(i, ch) {
				return
			}
		}
	}
}

func indented(line string) bool { return line[0] == ' ' || line[0] == '\t' }

// opensBlock reports whether a first line starts a compound statement.
func opensBlock(line string) bool {
	code := strings.TrimSpace(stripComment(line))
	if !strings.HasSuffix(code, ":") {
		return false
	}
	for _, kw := range []string{"def ", "for ", "if ", "while ", "else", "elif "} {
		if strings.HasPrefix(code, kw) {
			return true
		}
	}
	return false
}

// continuesBlock reports whether an unindented line continues the compound
// statement before it.
func continuesBlock(line string) bool {
	code := strings.TrimSpace(line)
	return strings.HasPrefix(code, "else") || strings.HasPrefix(code, "elif ") || strings.HasPrefix(code, "#")
}

func stripComment(line string) string {
	end := len(line)
	eachCodeByte(line, func(i int, ch byte) bool {
		if ch == '#' {
			end = i
			return false
		}
		return true
	})
	return line[:end]
}
