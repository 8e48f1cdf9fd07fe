//! eSIM profiles (contract 05 §1.6): platform ICCIDs, activation codes, QR tokens and the
//! QR image of an activation code.

use base64::Engine;
use mpaas_core::Iccid;
use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::secrets::random_bytes;

/// Pixels per QR module.
pub const MODULE_PIXELS: usize = 8;
/// Light modules around the symbol on each side.
pub const QUIET_ZONE_MODULES: usize = 4;

const MATCHING_ID_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MATCHING_ID_GROUPS: usize = 4;
const MATCHING_ID_GROUP_LEN: usize = 5;
const QR_TOKEN_BYTES: usize = 32;
const ICCID_BODY_DIGITS: usize = 18;

/// Why an eSIM artefact cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum EsimError {
    /// `MPAAS_ESIM_ICCID_PREFIX` is not 2 to 17 digits starting with `89`.
    #[error("eSIM ICCID prefix must be 2 to 17 digits starting with 89")]
    InvalidPrefix,
    /// The sequence does not fit in the digits the prefix leaves.
    #[error("eSIM ICCID sequence {0} does not fit after the prefix")]
    SequenceExhausted(u64),
    /// The text does not fit in a QR symbol.
    #[error("QR encoding failed: {0}")]
    Qr(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// The platform eSIM ICCID: `prefix` + `sequence` zero-padded to 18 digits + Luhn digit
/// (19 digits).
pub fn esim_iccid(prefix: &str, sequence: u64) -> Result<Iccid, EsimError> {
    let valid_prefix = (2..=17).contains(&prefix.len())
        && prefix.starts_with("89")
        && prefix.bytes().all(|b| b.is_ascii_digit());
    if !valid_prefix {
        return Err(EsimError::InvalidPrefix);
    }
    let width = ICCID_BODY_DIGITS - prefix.len();
    let sequence_text = format!("{sequence:0width$}");
    if sequence_text.len() != width {
        return Err(EsimError::SequenceExhausted(sequence));
    }
    Iccid::with_luhn(&format!("{prefix}{sequence_text}")).ok_or(EsimError::InvalidPrefix)
}

/// A new matching id: four hyphen-separated groups of five `A-Z0-9` characters drawn
/// uniformly from the operating system's CSPRNG (`ABCDE-12345-FGHIJ-67890`).
pub fn new_matching_id() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut id = String::with_capacity(MATCHING_ID_GROUPS * (MATCHING_ID_GROUP_LEN + 1));
    for group in 0..MATCHING_ID_GROUPS {
        if group > 0 {
            id.push('-');
        }
        for _ in 0..MATCHING_ID_GROUP_LEN {
            let index = rng.gen_range(0..MATCHING_ID_ALPHABET.len());
            id.push(char::from(MATCHING_ID_ALPHABET[index]));
        }
    }
    id
}

/// The activation code `LPA:1$<smdp address>$<matching id>`.
pub fn activation_code(smdp_address: &str, matching_id: &str) -> String {
    format!("LPA:1${smdp_address}${matching_id}")
}

/// A QR URL token: the secret that goes into the URL and the hash that is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct QrToken {
    /// 32 CSPRNG bytes, base64url without padding (43 characters); never stored.
    pub token: String,
    /// SHA-256 of `token`, lowercase hex; what the database keeps.
    pub sha256_hex: String,
}

impl std::fmt::Debug for QrToken {
    // The token opens the profile's QR image, so it stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrToken")
            .field("sha256_hex", &self.sha256_hex)
            .finish_non_exhaustive()
    }
}

/// A new QR URL token.
pub fn new_qr_token() -> QrToken {
    let token =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(QR_TOKEN_BYTES));
    let sha256_hex = qr_token_hash(&token);
    QrToken { token, sha256_hex }
}

/// The stored form of a QR token presented in a URL.
pub fn qr_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A PNG of `text` as a QR code: byte mode, error correction M, the smallest version that
/// holds it, 8 px modules, 4-module quiet zone, 8-bit greyscale.
pub fn qr_png(text: &str) -> Result<Vec<u8>, EsimError> {
    let code = byte_mode_code(text.as_bytes())?;
    let (side, pixels) = raster(&code);
    encode_png(side, &pixels)
}

/// The smallest symbol holding `data` as one byte-mode segment at level M. The automatic
/// encoder may switch to alphanumeric mode mid-text, which some LPA scanners mishandle.
fn byte_mode_code(data: &[u8]) -> Result<QrCode, EsimError> {
    for version in 1..=40 {
        let mut bits = Bits::new(Version::Normal(version));
        let fits = bits.push_byte_data(data).is_ok() && bits.push_terminator(EcLevel::M).is_ok();
        if fits {
            return QrCode::with_bits(bits, EcLevel::M).map_err(|e| EsimError::Qr(e.to_string()));
        }
    }
    Err(EsimError::Qr("data too long for a QR code".into()))
}

/// Greyscale pixels (0 dark, 255 light) of the symbol with its quiet zone; returns the side
/// length in pixels.
fn raster(code: &QrCode) -> (usize, Vec<u8>) {
    let modules = code.width();
    let colors = code.to_colors();
    let dark = |mx: usize, my: usize| -> bool {
        let (Some(x), Some(y)) = (
            mx.checked_sub(QUIET_ZONE_MODULES),
            my.checked_sub(QUIET_ZONE_MODULES),
        ) else {
            return false;
        };
        x < modules && y < modules && colors.get(y * modules + x) == Some(&Color::Dark)
    };
    let side_modules = modules + 2 * QUIET_ZONE_MODULES;
    let side = side_modules * MODULE_PIXELS;
    let mut pixels = Vec::with_capacity(side * side);
    for my in 0..side_modules {
        let row: Vec<u8> = (0..side)
            .map(|px| if dark(px / MODULE_PIXELS, my) { 0 } else { 255 })
            .collect();
        for _ in 0..MODULE_PIXELS {
            pixels.extend_from_slice(&row);
        }
    }
    (side, pixels)
}

fn encode_png(side: usize, pixels: &[u8]) -> Result<Vec<u8>, EsimError> {
    let png_error = |e: png::EncodingError| EsimError::Png(e.to_string());
    let side = u32::try_from(side).map_err(|_| EsimError::Png("image too large".into()))?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
