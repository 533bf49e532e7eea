#ifndef TRILOBITE_CPNGSHIM_H
#define TRILOBITE_CPNGSHIM_H

// libpng reports errors by longjmp-ing out of its error callback, which Swift cannot
// survive. These functions keep every libpng call behind a setjmp in C and turn errors
// into status codes plus a message, so the Swift side only ever sees ordinary returns.

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TRILOBITE_PNG_OK = 0,
    TRILOBITE_PNG_TRUNCATED = 1,
    TRILOBITE_PNG_CORRUPT = 2,
    TRILOBITE_PNG_OUT_OF_MEMORY = 3,
} trilobite_png_status;

typedef struct trilobite_png_decoder trilobite_png_decoder;

/// Returns NULL only when memory is exhausted. `data` must stay valid until destroy.
trilobite_png_decoder *trilobite_png_decoder_create(const uint8_t *data, size_t size);

/// Reads the chunks up to the first IDAT and sets up conversion to 8-bit RGB.
/// No pixel memory is allocated here, so callers can vet the size first.
trilobite_png_status trilobite_png_read_header(trilobite_png_decoder *decoder,
                                               uint32_t *width, uint32_t *height);

/// Decodes the whole image as 8-bit RGB into `pixels` (width * height * 3 bytes).
trilobite_png_status trilobite_png_read_rgb(trilobite_png_decoder *decoder,
                                            uint8_t *pixels, size_t capacity);

/// The libpng message for the last failure; empty when there was none.
const char *trilobite_png_error_message(const trilobite_png_decoder *decoder);

void trilobite_png_decoder_destroy(trilobite_png_decoder *decoder);

/// Encodes 8-bit RGB pixels as a PNG with fixed settings, so equal pixels give equal bytes.
/// On success `*encoded` is a malloc-ed buffer for `trilobite_png_free`.
/// On failure `message` receives libpng's reason (always NUL-terminated).
trilobite_png_status trilobite_png_encode_rgb(const uint8_t *pixels, uint32_t width,
                                              uint32_t height, uint8_t **encoded,
                                              size_t *encoded_size, char *message,
                                              size_t message_capacity);

/// Row filters libpng may choose from.
enum {
    /// Each row's best of the five PNG filters (libpng's adaptive choice): smallest files.
    TRILOBITE_PNG_ALL_FILTERS = 0,
    /// The "up" filter on every row: no per-row trial of five filters, several times faster on
    /// drawings, whose rows mostly repeat the row above.
    TRILOBITE_PNG_UP_FILTER = 1,
};

/// `trilobite_png_encode_rgb` with a zlib level (0-9) and a filter choice from the enum above;
/// fixed settings give fixed bytes.
trilobite_png_status trilobite_png_encode_rgb_with(const uint8_t *pixels, uint32_t width,
                                                   uint32_t height, int compression_level,
                                                   int filters, uint8_t **encoded,
                                                   size_t *encoded_size, char *message,
                                                   size_t message_capacity);

void trilobite_png_free(uint8_t *buffer);

#endif
