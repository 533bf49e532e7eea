#ifndef TRILOBITE_CJPEGSHIM_H
#define TRILOBITE_CJPEGSHIM_H

// libjpeg's error_exit must never return, and Swift cannot longjmp. These functions keep
// every libjpeg call behind a setjmp in C and turn errors into status codes plus a message.

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TRILOBITE_JPEG_OK = 0,
    TRILOBITE_JPEG_TRUNCATED = 1,
    TRILOBITE_JPEG_CORRUPT = 2,
    TRILOBITE_JPEG_OUT_OF_MEMORY = 3,
} trilobite_jpeg_status;

typedef struct trilobite_jpeg_decoder trilobite_jpeg_decoder;

/// Returns NULL only when memory is exhausted. `data` must stay valid until destroy.
trilobite_jpeg_decoder *trilobite_jpeg_decoder_create(const uint8_t *data, size_t size);

/// Reads the markers up to the first scan. No pixel memory is allocated here, so callers
/// can vet the size first. `channels` is 3 (RGB output) or 4 (CMYK output, as stored in
/// the file, which by Adobe's convention is inverted).
trilobite_jpeg_status trilobite_jpeg_read_header(trilobite_jpeg_decoder *decoder,
                                                 uint32_t *width, uint32_t *height,
                                                 int *channels);

/// Decodes every scanline into `pixels` (width * height * channels bytes).
trilobite_jpeg_status trilobite_jpeg_read_pixels(trilobite_jpeg_decoder *decoder,
                                                 uint8_t *pixels, size_t capacity);

/// libjpeg's message for the last failure; empty when there was none.
const char *trilobite_jpeg_error_message(const trilobite_jpeg_decoder *decoder);

void trilobite_jpeg_decoder_destroy(trilobite_jpeg_decoder *decoder);

#endif
