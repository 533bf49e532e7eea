// cmark-gfm: the CommonMark reference parser with GitHub's extensions (tables, strikethrough).
// The core header gives the node tree with source positions; the extensions header registers
// the table extension.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
