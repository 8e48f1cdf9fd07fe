//! The seeded HMAC-SHA256 choices of §1.5: each pool's `NGP` and each area code's exchange
//! order.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::pool::Ngp;
use super::InventoryError;

type HmacSha256 = Hmac<Sha256>;

/// Exchanges (NXX) the sandbox never uses: N11 service codes, 555 (directory and fiction),
/// 950 and 958/959 (carrier access and plant test) and 976 (premium information).
const EXCLUDED: [u16; 5] = [555, 950, 958, 959, 976];

/// True for an exchange a pool may use: 200-999 except N11, 555, 950, 958, 959 and 976.
pub fn is_valid_exchange(nxx: u16) -> bool {
    (200..=999).contains(&nxx) && nxx % 100 != 11 && !EXCLUDED.contains(&nxx)
}

/// HMAC-SHA256 keyed with the seed; cloned per message so the key is absorbed once.
#[derive(Clone)]
pub(crate) struct Keyed(HmacSha256);

impl Keyed {
    pub(crate) fn new(seed: &[u8]) -> Result<Self, InventoryError> {
        HmacSha256::new_from_slice(seed)
            .map(Keyed)
            .map_err(|_| InventoryError::Seed)
    }

    pub(crate) fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    /// `SAG` when the first byte of `HMAC-SHA256(seed, ZipCode)` is even, else `AGP`.
    pub(crate) fn ngp(&self, zip_code: &str) -> Ngp {
        if self.mac(zip_code.as_bytes())[0] & 1 == 0 {
            Ngp::Sag
        } else {
            Ngp::Agp
        }
    }

    /// The area code's valid exchanges sorted by `HMAC-SHA256(seed, AreaCode‖NXX)`, where
    /// `AreaCode‖NXX` is the six ASCII digits (`"201378"`), comparing MACs byte by byte.
    pub(crate) fn exchange_order(&self, area_code: u16) -> Vec<u16> {
        let mut keyed: Vec<([u8; 32], u16)> = (200..=999)
            .filter(|&nxx| is_valid_exchange(nxx))
            .map(|nxx| (self.mac(&six_digits(area_code, nxx)), nxx))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, nxx)| nxx).collect()
    }
}

/// `AreaCode‖NXX` as six ASCII digits.
fn six_digits(area_code: u16, nxx: u16) -> [u8; 6] {
    let value = u32::from(area_code) * 1000 + u32::from(nxx);
    let mut digits = [b'0'; 6];
    for (position, digit) in digits.iter_mut().rev().enumerate() {
        *digit = b'0' + ((value / 10u32.pow(position as u32)) % 10) as u8;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions() {
        for nxx in [
            211, 311, 411, 511, 611, 711, 811, 911, 555, 950, 958, 959, 976,
        ] {
            assert!(!is_valid_exchange(nxx), "{nxx}");
        }
        for nxx in [0, 100, 199, 1000] {
            assert!(!is_valid_exchange(nxx), "{nxx}");
        }
        for nxx in [200, 210, 212, 378, 554, 556, 951, 957, 960, 975, 977, 999] {
            assert!(is_valid_exchange(nxx), "{nxx}");
        }
        assert_eq!((0..1000).filter(|&n| is_valid_exchange(n)).count(), 787);
    }

    #[test]
    fn six_ascii_digits() {
        assert_eq!(&six_digits(201, 378), b"201378");
        assert_eq!(&six_digits(907, 200), b"907200");
    }

    #[test]
    fn exchange_order_is_the_mac_order() {
        let keyed = Keyed::new(b"mpaas").unwrap();
        let order = keyed.exchange_order(201);
        assert_eq!(order.len(), 787);
        let macs: Vec<[u8; 32]> = order
            .iter()
            .map(|&nxx| {
                let mut mac = HmacSha256::new_from_slice(b"mpaas").unwrap();
                mac.update(format!("201{nxx:03}").as_bytes());
                mac.finalize().into_bytes().into()
            })
            .collect();
        assert!(macs.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
