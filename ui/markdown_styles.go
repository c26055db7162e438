package ui

import (
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// Glamour's own styles, corrected for lesson text. They are built once: StyleConfig
// is a value, so a copy with changed strings leaves Glamour's shared ones alone.
var (
	markdownDark  = tidyCodeSpans(styles.DarkStyleConfig)
	markdownLight = tidyCodeSpans(styles.LightStyleConfig)
	markdownPlain = plainEmphasis(styles.NoTTYStyleConfig)
)

// tidyCodeSpans drops the non-breaking space Glamour pads inline code with on each
// side. On a colour screen the background already marks the code; without colour (an
// ASCII profile, NO_COLOR) the pads were bare blanks, so "(`cores: 1`)" read
// "( cores: 1 )".
func tidyCodeSpans(s ansi.StyleConfig) ansi.StyleConfig {
	s.Code.Prefix, s.Code.Suffix = "", ""
	return s
}

// plainEmphasis is the style for text files and pipes. Glamour's notty style writes
// emphasis as Markdown source (**bold**, *italic*), which a handout then printed raw,
// and drops the backticks it means to put around inline code (a code span draws only
// Prefix and Suffix, never the BlockPrefix the style sets). Here emphasis is plain
// words and inline code keeps its backticks, so `2*cpu(100ms)` still reads as
// something to type.
func plainEmphasis(s ansi.StyleConfig) ansi.StyleConfig {
	s.Strong.BlockPrefix, s.Strong.BlockSuffix = "", ""
	s.Emph.BlockPrefix, s.Emph.BlockSuffix = "", ""
	s.Code.BlockPrefix, s.Code.BlockSuffix = "", ""
	s.Code.Prefix, s.Code.Suffix = "`", "`"
	return s
}
