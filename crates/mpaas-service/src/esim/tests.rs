use super::*;

fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("png header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut pixels).expect("png frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels)
}

#[test]
fn qr_png_decodes_back_to_the_activation_code() {
    let code = activation_code("smdp.mpaas.test", &new_matching_id());
    let png = qr_png(&code).expect("png");
    let (width, height, pixels) = decode_png(&png);
    assert_eq!(width, height);

    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            pixels[y * width as usize + x]
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().expect("readable QR code");
    assert_eq!(content, code);
    // Format bits 00 are error correction level M.
    assert_eq!(meta.ecc_level, 0);
    let modules = meta.version.to_size();
    assert_eq!(width as usize, (modules + 8) * 8);
}

#[test]
fn qr_png_uses_one_byte_mode_segment_in_the_smallest_version() {
    // 39 bytes fit version 3-M in byte mode (42 bytes capacity) but not version 2-M (26).
    let text = "LPA:1$smdp.mpaas.test$ABCDE-12345-FGHIJ";
    assert_eq!(text.len(), 39);
    let code = byte_mode_code(text.as_bytes()).unwrap();
    assert_eq!(code.version(), Version::Normal(3));
    assert_eq!(code.error_correction_level(), EcLevel::M);
    let (side, pixels) = raster(&code);
    assert_eq!(side, (29 + 8) * 8);
    assert_eq!(pixels.len(), side * side);
    // The quiet zone is light and the finder pattern's corner is dark.
    assert!(pixels[..side * QUIET_ZONE_MODULES * MODULE_PIXELS]
        .iter()
        .all(|&p| p == 255));
    let corner = QUIET_ZONE_MODULES * MODULE_PIXELS;
    assert_eq!(pixels[corner * side + corner], 0);
}

#[test]
fn qr_png_refuses_text_beyond_a_qr_code() {
    assert!(matches!(qr_png(&"x".repeat(3000)), Err(EsimError::Qr(_))));
}

#[test]
fn matching_ids_are_four_groups_of_five_alphanumerics() {
    let id = new_matching_id();
    assert_eq!(id.len(), 23);
    let groups: Vec<&str> = id.split('-').collect();
    assert_eq!(groups.len(), 4);
    for group in groups {
        assert_eq!(group.len(), 5);
        assert!(group
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    }
    assert_ne!(new_matching_id(), new_matching_id());
}

#[test]
fn activation_code_layout() {
    assert_eq!(
        activation_code("smdp.mpaas.test", "ABCDE-12345-FGHIJ-67890"),
        "LPA:1$smdp.mpaas.test$ABCDE-12345-FGHIJ-67890"
    );
}

#[test]
fn qr_tokens_are_43_url_safe_characters_stored_as_sha256() {
    let token = new_qr_token();
    assert_eq!(token.token.len(), 43);
    assert!(token
        .token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(token.sha256_hex.len(), 64);
    assert_eq!(qr_token_hash(&token.token), token.sha256_hex);
    assert_eq!(
        qr_token_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_ne!(new_qr_token().token, token.token);
    assert!(!format!("{token:?}").contains(&token.token));
}

#[test]
fn esim_iccids_pad_the_sequence_and_append_the_luhn_digit() {
    assert_eq!(
        esim_iccid("8901999", 1042).unwrap().as_str(),
        "8901999000000010425"
    );
    let iccid = esim_iccid("89", 0).unwrap();
    assert_eq!(iccid.as_str().len(), 19);
    assert!(iccid.as_str().starts_with("89000000000000000"));
    assert_eq!(Iccid::parse(iccid.as_str()), Some(iccid));
    assert_eq!(
        esim_iccid("89019990000000104", 9).unwrap().as_str(),
        format!(
            "890199900000001049{}",
            mpaas_core::iccid::luhn_check_digit("890199900000001049").unwrap()
        )
    );
}

#[test]
fn esim_iccid_rejects_bad_prefixes_and_exhausted_sequences() {
    for prefix in ["", "8", "79", "89x", "890199900000001042", "+8901999"] {
        assert!(
            matches!(esim_iccid(prefix, 1), Err(EsimError::InvalidPrefix)),
            "{prefix}"
        );
    }
    assert!(matches!(
        esim_iccid("89019990000000104", 10),
        Err(EsimError::SequenceExhausted(10))
    ));
    assert!(matches!(
        esim_iccid("8901999", 100_000_000_000),
        Err(EsimError::SequenceExhausted(_))
    ));
    assert!(esim_iccid("8901999", 99_999_999_999).is_ok());
}
