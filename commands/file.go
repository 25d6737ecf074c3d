package commands

// File is a file a reply hands to the caller, such as an export. The bot
// uploads it to the caller's DM, never to a channel; the shell writes it to
// its working directory. Renderers of the reply's blocks ignore it.
type File struct {
	// Name is a bare file name (no directories), like
	// goalbot-export-T1-2026-11-26.csv.
	Name string
	// Type is the MIME type of Content, like text/csv.
	Type    string
	Content []byte
}
