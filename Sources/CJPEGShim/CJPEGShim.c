#include "CJPEGShim.h"

#include <stdio.h>  // jpeglib.h needs FILE declared first
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct trilobite_jpeg_decoder {
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    struct jpeg_source_mgr source;
    int is_created;
    int ran_out_of_data;
    jmp_buf failure;
    char message[JMSG_LENGTH_MAX];
};

static trilobite_jpeg_decoder *decoder_of(j_common_ptr info) {
    return (trilobite_jpeg_decoder *)info->client_data;
}

static void fail_with_message(j_common_ptr info) {
    trilobite_jpeg_decoder *decoder = decoder_of(info);
    (*info->err->format_message)(info, decoder->message);
    longjmp(decoder->failure, 1);
}

// Warnings ("extraneous bytes before marker" and the like) do not stop decoding; Pillow
// ignores them as well, so nothing is printed.
static void discard_message(j_common_ptr info) {
    (void)info;
}

static void start_source(j_decompress_ptr info) {
    (void)info;
}

// The whole file is in memory from the start, so being asked for more means the file is
// truncated. libjpeg's own memory source would instead invent an end marker and fill the
// rest of the image with grey; Pillow refuses such files, and so do we.
static boolean refill_source(j_decompress_ptr info) {
    decoder_of((j_common_ptr)info)->ran_out_of_data = 1;
    ERREXIT(info, JERR_INPUT_EOF);
    return FALSE;
}

static void skip_source(j_decompress_ptr info, long byte_count) {
    if (byte_count <= 0) {
        return;
    }
    struct jpeg_source_mgr *source = info->src;
    if ((unsigned long)byte_count > source->bytes_in_buffer) {
        decoder_of((j_common_ptr)info)->ran_out_of_data = 1;
        ERREXIT(info, JERR_INPUT_EOF);
    }
    source->next_input_byte += byte_count;
    source->bytes_in_buffer -= (size_t)byte_count;
}

static void finish_source(j_decompress_ptr info) {
    (void)info;
}

static trilobite_jpeg_status decoder_failure(const trilobite_jpeg_decoder *decoder) {
    return decoder->ran_out_of_data ? TRILOBITE_JPEG_TRUNCATED : TRILOBITE_JPEG_CORRUPT;
}

trilobite_jpeg_decoder *trilobite_jpeg_decoder_create(const uint8_t *data, size_t size) {
    trilobite_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) {
        return NULL;
    }
    decoder->info.err = jpeg_std_error(&decoder->errors);
    decoder->errors.error_exit = fail_with_message;
    decoder->errors.output_message = discard_message;
    decoder->info.client_data = decoder;
    if (setjmp(decoder->failure)) {
        if (decoder->is_created) {
            jpeg_destroy_decompress(&decoder->info);
        }
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->info);
    decoder->is_created = 1;

    decoder->source.next_input_byte = data;
    decoder->source.bytes_in_buffer = size;
    decoder->source.init_source = start_source;
    decoder->source.fill_input_buffer = refill_source;
    decoder->source.skip_input_data = skip_source;
    decoder->source.resync_to_restart = jpeg_resync_to_restart;
    decoder->source.term_source = finish_source;
    decoder->info.src = &decoder->source;
    return decoder;
}

trilobite_jpeg_status trilobite_jpeg_read_header(trilobite_jpeg_decoder *decoder,
                                                 uint32_t *width, uint32_t *height,
                                                 int *channels) {
    if (setjmp(decoder->failure)) {
        return decoder_failure(decoder);
    }
    jpeg_read_header(&decoder->info, TRUE);

    // Pillow decodes 4-component files as CMYK and everything else as L or RGB; libjpeg
    // can expand grey to RGB itself by replicating the sample, which is the same thing.
    if (decoder->info.jpeg_color_space == JCS_CMYK ||
        decoder->info.jpeg_color_space == JCS_YCCK) {
        decoder->info.out_color_space = JCS_CMYK;
        *channels = 4;
    } else {
        decoder->info.out_color_space = JCS_RGB;
        *channels = 3;
    }
    // These are libjpeg's defaults, and Pillow's: spelled out because bit-exact agreement
    // with Pillow depends on them.
    decoder->info.dct_method = JDCT_ISLOW;
    decoder->info.do_fancy_upsampling = TRUE;
    decoder->info.scale_num = 1;
    decoder->info.scale_denom = 1;

    *width = decoder->info.image_width;
    *height = decoder->info.image_height;
    return TRILOBITE_JPEG_OK;
}

trilobite_jpeg_status trilobite_jpeg_read_pixels(trilobite_jpeg_decoder *decoder,
                                                 uint8_t *pixels, size_t capacity) {
    if (setjmp(decoder->failure)) {
        return decoder_failure(decoder);
    }
    struct jpeg_decompress_struct *info = &decoder->info;
    jpeg_start_decompress(info);

    size_t row_bytes = (size_t)info->output_width * (size_t)info->output_components;
    if (row_bytes == 0 || capacity / row_bytes < info->output_height) {
        snprintf(decoder->message, sizeof decoder->message,
                 "the pixel buffer is smaller than the image");
        return TRILOBITE_JPEG_CORRUPT;
    }
    while (info->output_scanline < info->output_height) {
        JSAMPROW row = pixels + (size_t)info->output_scanline * row_bytes;
        if (jpeg_read_scanlines(info, &row, 1) != 1) {
            // Only a suspending source can make libjpeg return no rows; ours never
            // suspends, so this is a safeguard against looping forever.
            snprintf(decoder->message, sizeof decoder->message,
                     "libjpeg stopped producing rows");
            return TRILOBITE_JPEG_CORRUPT;
        }
    }
    // jpeg_finish_decompress is skipped on purpose: it would demand the end-of-image
    // marker, and a file whose pixels are all present is usable without it.
    return TRILOBITE_JPEG_OK;
}

const char *trilobite_jpeg_error_message(const trilobite_jpeg_decoder *decoder) {
    return decoder->message;
}

void trilobite_jpeg_decoder_destroy(trilobite_jpeg_decoder *decoder) {
    if (decoder == NULL) {
        return;
    }
    if (decoder->is_created) {
        jpeg_destroy_decompress(&decoder->info);
    }
    free(decoder);
}
