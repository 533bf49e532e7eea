// Cairo's image surfaces, paths, toy text API and PNG stream writer/reader.
#include <cairo.h>
