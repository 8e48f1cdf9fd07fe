//! The embedded area code table, `data/us-area-codes.csv` at the repository root
//! (provenance in `data/README.md`).

use super::InventoryError;

/// The table as shipped; embedded so every process derives the same pools.
pub(crate) const CSV: &str = include_str!("../../../../../data/us-area-codes.csv");

const HEADER: &str = "AreaCode,State,ZipCodes";
/// At most this many ZIPs per area code: each ZIP takes one exchange of the area code.
const MAX_ZIPS: usize = 5;

/// One row: an area code, its state and its ZIPs in ascending order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AreaRow {
    pub(crate) area_code: u16,
    pub(crate) state: &'static str,
    pub(crate) zip_codes: Vec<&'static str>,
}

/// Parses and checks the table: area codes strictly ascending, ZIPs strictly ascending.
pub(crate) fn parse(text: &'static str) -> Result<Vec<AreaRow>, InventoryError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim_end() == HEADER => {}
        _ => return Err(bad(1, "header must be AreaCode,State,ZipCodes")),
    }
    let mut rows: Vec<AreaRow> = Vec::new();
    for (index, line) in lines {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let row = parse_row(line).map_err(|reason| bad(index + 1, reason))?;
        if rows
            .last()
            .is_some_and(|last| last.area_code >= row.area_code)
        {
            return Err(bad(index + 1, "area codes must be unique and ascending"));
        }
        rows.push(row);
    }
    Ok(rows)
}

fn parse_row(line: &'static str) -> Result<AreaRow, &'static str> {
    let mut fields = line.split(',');
    let (Some(area), Some(state), Some(zips), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err("a row has exactly three fields");
    };
    let area_code = parse_area_code(area).ok_or("AreaCode must be three digits, 200-999")?;
    if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err("State must be two capital letters");
    }
    Ok(AreaRow {
        area_code,
        state,
        zip_codes: parse_zips(zips)?,
    })
}

fn parse_area_code(text: &str) -> Option<u16> {
    let valid = text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit());
    let code: u16 = text.parse().ok().filter(|_| valid)?;
    (200..=999).contains(&code).then_some(code)
}

fn parse_zips(text: &'static str) -> Result<Vec<&'static str>, &'static str> {
    let zips: Vec<&'static str> = text.split(' ').collect();
    if zips.is_empty() || zips.len() > MAX_ZIPS {
        return Err("ZipCodes must hold 1 to 5 ZIP codes");
    }
    if !zips
        .iter()
        .all(|z| z.len() == 5 && z.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err("a ZIP code is five digits");
    }
    if zips.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err("ZIP codes must be unique and ascending");
    }
    Ok(zips)
}

fn bad(line: usize, reason: &'static str) -> InventoryError {
    InventoryError::Data { line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_is_well_formed() {
        let rows = parse(CSV).expect("valid table");
        assert!(rows.len() > 300, "{} area codes", rows.len());
        let states: std::collections::BTreeSet<_> = rows.iter().map(|r| r.state).collect();
        assert_eq!(states.len(), 51, "50 states and DC");
        for excluded in [500, 800, 833, 844, 855, 866, 877, 888, 900] {
            assert!(rows.iter().all(|r| r.area_code != excluded), "{excluded}");
        }
    }

    #[test]
    fn rejects_malformed_tables() {
        let cases: [(&'static str, usize); 9] = [
            ("Area,State,Zips\n201,NJ,07030\n", 1),
            ("AreaCode,State,ZipCodes\n20,NJ,07030\n", 2),
            ("AreaCode,State,ZipCodes\n199,NJ,07030\n", 2),
            ("AreaCode,State,ZipCodes\n201,nj,07030\n", 2),
            ("AreaCode,State,ZipCodes\n201,NJ,0703\n", 2),
            ("AreaCode,State,ZipCodes\n201,NJ,07031 07030\n", 2),
            ("AreaCode,State,ZipCodes\n201,NJ,1 2 3 4 5 6\n", 2),
            ("AreaCode,State,ZipCodes\n201,NJ\n", 2),
            ("AreaCode,State,ZipCodes\n202,DC,20001\n201,NJ,07030\n", 3),
        ];
        for (text, line) in cases {
            match parse(text) {
                Err(InventoryError::Data { line: at, .. }) => assert_eq!(at, line, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn parses_rows() {
        let rows = parse("AreaCode,State,ZipCodes\r\n201,NJ,07024 07030\r\n\r\n").unwrap();
        assert_eq!(
            rows,
            vec![AreaRow {
                area_code: 201,
                state: "NJ",
                zip_codes: vec!["07024", "07030"],
            }]
        );
    }
}
