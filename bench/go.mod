module github.com/nlsh/nlsh/bench

go 1.26.0

require (
	github.com/nlsh/nlsh v0.0.0
	golang.org/x/sys v0.49.0
)

replace github.com/nlsh/nlsh => ../
