//! Generated album art: a two-colour gradient with rings and stripes, distinct per album.

use image::{ImageFormat, Rgb, RgbImage};

use crate::DemoError;
use crate::plan::Rng;

pub const COVER_SIZE: u32 = 600;

pub fn cover_jpeg(seed: u64) -> Result<Vec<u8>, DemoError> {
    let mut rng = Rng::new(seed);
    let mut color = || [rng.below(256) as f32, rng.below(256) as f32, rng.below(256) as f32];
    let (from, to, ring) = (color(), color(), color());
    let center = (150.0 + rng.below(300) as f32, 150.0 + rng.below(300) as f32);
    let ring_spacing = 30.0 + rng.below(50) as f32;
    let stripes = rng.below(2) == 0;
    let size = COVER_SIZE as f32;
    let image = RgbImage::from_fn(COVER_SIZE, COVER_SIZE, |x, y| {
        let (x, y) = (x as f32, y as f32);
        let mix = (x + y) / (2.0 * size);
        let mut pixel: [f32; 3] = std::array::from_fn(|c| from[c] * (1.0 - mix) + to[c] * mix);
        let distance = ((x - center.0).powi(2) + (y - center.1).powi(2)).sqrt();
        let on_ring = (distance / ring_spacing).fract() < 0.18 && distance < size * 0.45;
        let on_stripe = stripes && ((x - y).rem_euclid(48.0)) < 6.0;
        if on_ring || on_stripe {
            pixel = std::array::from_fn(|c| pixel[c] * 0.3 + ring[c] * 0.7);
        }
        Rgb(pixel.map(|value| value.clamp(0.0, 255.0) as u8))
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, ImageFormat::Jpeg).map_err(|error| DemoError::Encode(format!("cover: {error}")))?;
    Ok(bytes.into_inner())
}
