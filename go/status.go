package verifier

// statusText is a status's name and sentence (status_text.go).
func statusText(code uint32) (name, msg string) {
	if t, ok := statusTexts[code]; ok {
		return t[0], t[1]
	}
	return "unknown", "unknown status"
}
