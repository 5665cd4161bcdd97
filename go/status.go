package verifier

// statusText is a status's name and sentence (status_text.go: a static
// array, so no init code builds it).
func statusText(code uint32) (name, msg string) {
	for _, t := range statusTexts {
		if t.code == code {
			return t.name, t.msg
		}
	}
	return "unknown", "unknown status"
}
