#include "CPNGShim.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

// Compression level of `trilobite_png_encode_rgb`. Fixed so that the same pixels always give
// the same bytes; 6 is zlib's usual trade-off and keeps 224x224 images fast to write.
static const int encoder_compression_level = 6;

static void copy_message(char *destination, size_t capacity, const char *message) {
    if (capacity == 0) {
        return;
    }
    strncpy(destination, message != NULL ? message : "", capacity - 1);
    destination[capacity - 1] = '\0';
}

// libpng prints warnings (bad ancillary chunks, odd ICC profiles) to stderr by default;
// they never stop decoding, so a library should stay quiet about them.
static void ignore_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

// MARK: - Decoding

struct trilobite_png_decoder {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t position;
    int ran_out_of_data;
    png_bytep *rows;
    jmp_buf failure;
    char message[256];
};

static void decoder_error(png_structp png, png_const_charp message) {
    trilobite_png_decoder *decoder = png_get_error_ptr(png);
    copy_message(decoder->message, sizeof decoder->message, message);
    longjmp(decoder->failure, 1);
}

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    trilobite_png_decoder *decoder = png_get_io_ptr(png);
    if (length > decoder->size - decoder->position) {
        decoder->ran_out_of_data = 1;
        png_error(png, "the data ends before the image does");
    }
    memcpy(destination, decoder->data + decoder->position, length);
    decoder->position += length;
}

static trilobite_png_status decoder_failure(const trilobite_png_decoder *decoder) {
    return decoder->ran_out_of_data ? TRILOBITE_PNG_TRUNCATED : TRILOBITE_PNG_CORRUPT;
}

trilobite_png_decoder *trilobite_png_decoder_create(const uint8_t *data, size_t size) {
    trilobite_png_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        return NULL;
    }
    decoder->data = data;
    decoder->size = size;
    // Creation itself reports allocation failures through the error callback.
    if (setjmp(decoder->failure)) {
        png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
        free(decoder);
        return NULL;
    }
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, decoder_error,
                                          ignore_warning);
    if (decoder->png == NULL) {
        free(decoder);
        return NULL;
    }
    decoder->info = png_create_info_struct(decoder->png);
    if (decoder->info == NULL) {
        png_destroy_read_struct(&decoder->png, NULL, NULL);
        free(decoder);
        return NULL;
    }
    png_set_read_fn(decoder->png, decoder, read_from_memory);
    return decoder;
}

trilobite_png_status trilobite_png_read_header(trilobite_png_decoder *decoder,
                                               uint32_t *width, uint32_t *height) {
    if (setjmp(decoder->failure)) {
        return decoder_failure(decoder);
    }
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    png_read_info(png, info);

    int bit_depth = png_get_bit_depth(png, info);
    int color_type = png_get_color_type(png, info);
    // Palette and 1/2/4-bit grey become 8-bit samples (grey by bit replication, which is
    // what Pillow does too). 16-bit samples keep their high byte (png_set_strip_16), which
    // is also how Pillow unpacks 16-bit RGB and RGBA.
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    if (bit_depth == 16) {
        png_set_strip_16(png);
    }
    if ((color_type & PNG_COLOR_MASK_COLOR) == 0) {
        png_set_gray_to_rgb(png);
    }
    // Alpha (and tRNS transparency) is dropped without compositing, like Pillow's
    // convert("RGB"): fully transparent pixels keep whatever colour they store.
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    if (png_get_bit_depth(png, info) != 8 || png_get_channels(png, info) != 3 ||
        png_get_rowbytes(png, info) != (size_t)png_get_image_width(png, info) * 3) {
        copy_message(decoder->message, sizeof decoder->message,
                     "libpng could not convert this colour type to 8-bit RGB");
        return TRILOBITE_PNG_CORRUPT;
    }
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    return TRILOBITE_PNG_OK;
}

trilobite_png_status trilobite_png_read_rgb(trilobite_png_decoder *decoder, uint8_t *pixels,
                                            size_t capacity) {
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    size_t height = png_get_image_height(png, info);
    size_t row_bytes = (size_t)png_get_image_width(png, info) * 3;
    if (row_bytes == 0 || height == 0 || capacity / row_bytes < height) {
        copy_message(decoder->message, sizeof decoder->message,
                     "the pixel buffer is smaller than the image");
        return TRILOBITE_PNG_CORRUPT;
    }
    free(decoder->rows);
    decoder->rows = malloc(height * sizeof(png_bytep));
    if (decoder->rows == NULL) {
        copy_message(decoder->message, sizeof decoder->message, "out of memory");
        return TRILOBITE_PNG_OUT_OF_MEMORY;
    }
    for (size_t row = 0; row < height; row++) {
        decoder->rows[row] = pixels + row * row_bytes;
    }
    if (setjmp(decoder->failure)) {
        return decoder_failure(decoder);
    }
    png_read_image(png, decoder->rows);
    return TRILOBITE_PNG_OK;
}

const char *trilobite_png_error_message(const trilobite_png_decoder *decoder) {
    return decoder->message;
}

void trilobite_png_decoder_destroy(trilobite_png_decoder *decoder) {
    if (decoder == NULL) {
        return;
    }
    png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
    free(decoder->rows);
    free(decoder);
}

// MARK: - Encoding

typedef struct {
    png_structp png;
    png_infop info;
    uint8_t *bytes;
    size_t size;
    size_t capacity;
    int out_of_memory;
    char *message;
    size_t message_capacity;
    jmp_buf failure;
} png_sink;

static void encoder_error(png_structp png, png_const_charp message) {
    png_sink *sink = png_get_error_ptr(png);
    copy_message(sink->message, sink->message_capacity, message);
    longjmp(sink->failure, 1);
}

static void write_to_memory(png_structp png, png_bytep data, size_t length) {
    png_sink *sink = png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t needed = sink->size + length;
        if (needed < sink->size) {
            sink->out_of_memory = 1;
            png_error(png, "the encoded PNG would not fit in memory");
        }
        size_t grown = sink->capacity < 4096 ? 4096 : sink->capacity;
        while (grown < needed) {
            grown = grown > SIZE_MAX / 2 ? needed : grown * 2;
        }
        uint8_t *larger = realloc(sink->bytes, grown);
        if (larger == NULL) {
            sink->out_of_memory = 1;
            png_error(png, "out of memory while encoding");
        }
        sink->bytes = larger;
        sink->capacity = grown;
    }
    memcpy(sink->bytes + sink->size, data, length);
    sink->size += length;
}

static void flush_nothing(png_structp png) {
    (void)png;
}

trilobite_png_status trilobite_png_encode_rgb(const uint8_t *pixels, uint32_t width,
                                              uint32_t height, uint8_t **encoded,
                                              size_t *encoded_size, char *message,
                                              size_t message_capacity) {
    return trilobite_png_encode_rgb_with(pixels, width, height, encoder_compression_level,
                                         TRILOBITE_PNG_ALL_FILTERS, encoded, encoded_size, message,
                                         message_capacity);
}

trilobite_png_status trilobite_png_encode_rgb_with(const uint8_t *pixels, uint32_t width,
                                                   uint32_t height, int compression_level,
                                                   int filters, uint8_t **encoded,
                                                   size_t *encoded_size, char *message,
                                                   size_t message_capacity) {
    copy_message(message, message_capacity, "");
    // The sink lives on the heap so that its fields are reliable after a longjmp.
    png_sink *sink = calloc(1, sizeof *sink);
    if (sink == NULL) {
        copy_message(message, message_capacity, "out of memory");
        return TRILOBITE_PNG_OUT_OF_MEMORY;
    }
    sink->message = message;
    sink->message_capacity = message_capacity;
    if (setjmp(sink->failure)) {
        trilobite_png_status status =
            sink->out_of_memory ? TRILOBITE_PNG_OUT_OF_MEMORY : TRILOBITE_PNG_CORRUPT;
        png_destroy_write_struct(&sink->png, &sink->info);
        free(sink->bytes);
        free(sink);
        return status;
    }
    sink->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, encoder_error,
                                        ignore_warning);
    if (sink->png == NULL) {
        free(sink);
        copy_message(message, message_capacity, "out of memory");
        return TRILOBITE_PNG_OUT_OF_MEMORY;
    }
    sink->info = png_create_info_struct(sink->png);
    if (sink->info == NULL) {
        sink->out_of_memory = 1;
        png_error(sink->png, "out of memory");
    }
    png_set_write_fn(sink->png, sink, write_to_memory, flush_nothing);
    png_set_IHDR(sink->png, sink->info, width, height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(sink->png, compression_level);
    png_set_filter(sink->png, PNG_FILTER_TYPE_BASE,
                   filters == TRILOBITE_PNG_UP_FILTER ? PNG_FILTER_UP : PNG_ALL_FILTERS);
    png_write_info(sink->png, sink->info);
    size_t row_bytes = (size_t)width * 3;
    for (size_t row = 0; row < height; row++) {
        png_write_row(sink->png, pixels + row * row_bytes);
    }
    png_write_end(sink->png, NULL);

    *encoded = sink->bytes;
    *encoded_size = sink->size;
    png_destroy_write_struct(&sink->png, &sink->info);
    free(sink);
    return TRILOBITE_PNG_OK;
}

void trilobite_png_free(uint8_t *buffer) {
    free(buffer);
}
