"""Reference SSIM and PSNR values for MetricsTests.swift, computed with scikit-image.

Run: python3 -m venv /tmp/v && /tmp/v/bin/pip install scikit-image numpy && /tmp/v/bin/python ssim_reference.py
The two images are defined by integer formulas that MetricsTests.swift repeats exactly.
"""
import numpy as np
from skimage.metrics import structural_similarity, peak_signal_noise_ratio

HEIGHT, WIDTH = 20, 24


def first(r, c, ch):
    return (r * 37 + c * 11 + ch * 91 + (r * c) % 17) % 256


def second(r, c, ch):
    value = first(r, c, ch) + (r * 7 + c * 3 + ch * 5) % 9 - 4
    if 5 <= r < 12 and 8 <= c < 16:  # a block that changes more
        value += 25 if ch != 1 else -30
    return min(max(value, 0), 255)


a = np.array([[[first(r, c, ch) for ch in range(3)] for c in range(WIDTH)] for r in range(HEIGHT)], dtype=np.uint8)
b = np.array([[[second(r, c, ch) for ch in range(3)] for c in range(WIDTH)] for r in range(HEIGHT)], dtype=np.uint8)
ssim = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                             data_range=255, channel_axis=-1)
psnr = peak_signal_noise_ratio(a, b, data_range=255)
print(f"ssim {ssim:.15f}")
print(f"psnr {psnr:.15f}")
