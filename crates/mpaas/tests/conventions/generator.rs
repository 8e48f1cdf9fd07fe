//! Hostile request bodies and query values for the garbage sweep.

use rand::rngs::StdRng;
use rand::Rng;

/// Generates hostile request bodies as raw bytes (so that they can hold what `serde_json::Value`
/// cannot: invalid UTF-8, numbers out of range, nesting beyond parser limits).
pub struct Garbage {
    pub rng: StdRng,
}

impl Garbage {
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.gen_range(0..items.len())]
    }

    pub fn text(&mut self) -> String {
        const CHARS: [char; 24] = [
            'a', 'Z', '0', '9', ' ', '-', '@', '.', '+', '\0', '\u{1}', '\u{7f}', '\n', '\t', '"',
            '\\', '/', 'é', 'ß', '中', '\u{202e}', '\u{fffd}', '😀', '\u{301}',
        ];
        match self.rng.gen_range(0..12) {
            0 => String::new(),
            1 => " ".repeat(self.rng.gen_range(1..5)),
            2 => "x".repeat(self.rng.gen_range(190..320)),
            3 => format!("user{}@example.com", self.rng.gen::<u32>()),
            4 => format!(
                "+1{}",
                (0..self.rng.gen_range(0..16))
                    .map(|_| char::from(b'0' + self.rng.gen_range(0..10u8)))
                    .collect::<String>()
            ),
            5 => format!(
                "{}-{}",
                self.pick(&["DID", "AID", "TSUID", "SID", "MRID", "did", "aid"]),
                uuid::Uuid::new_v4()
            ),
            6 => self
                .pick(&[
                    "' OR 1=1 --",
                    "%00",
                    "null",
                    "true",
                    "0",
                    "-1",
                    "${jndi:x}",
                    "../../etc/passwd",
                    "<script>",
                    "Account Admin",
                    "Manager",
                ])
                .to_string(),
            7 => format!("{}\0{}", "a", "b"),
            _ => (0..self.rng.gen_range(0..24))
                .map(|_| CHARS[self.rng.gen_range(0..CHARS.len())])
                .collect(),
        }
    }

    fn string(&mut self) -> String {
        serde_json::to_string(&self.text()).expect("a string serialises")
    }

    pub fn number(&mut self) -> String {
        match self.rng.gen_range(0..6) {
            0 => self.rng.gen::<i64>().to_string(),
            1 => self.rng.gen_range(-5..2000).to_string(),
            2 => format!(
                "{}",
                self.rng.gen::<f64>() * 10f64.powi(self.rng.gen_range(-10..30))
            ),
            _ => self
                .pick(&[
                    "0",
                    "-0",
                    "1e308",
                    "1e999",
                    "-1e-999",
                    "18446744073709551616",
                    "9223372036854775807",
                    "-9223372036854775808",
                    "123456789012345678901234567890123456789",
                    "0.00001",
                    "3.14159",
                    "1000000.00001",
                    "1E2",
                    "-0.0",
                ])
                .to_string(),
        }
    }

    fn value(&mut self, depth: u32, props: &[String]) -> String {
        let kinds = if depth >= 4 { 4 } else { 7 };
        match self.rng.gen_range(0..kinds) {
            0 => self.pick(&["null", "true", "false"]).to_string(),
            1 => self.number(),
            2 | 3 => self.string(),
            4 => {
                let n = if self.rng.gen_bool(0.1) {
                    self.rng.gen_range(100..180)
                } else {
                    self.rng.gen_range(0..5)
                };
                let items: Vec<String> = (0..n).map(|_| self.value(depth + 1, props)).collect();
                format!("[{}]", items.join(","))
            }
            5 => self.object(depth + 1, props),
            _ => self.deep(),
        }
    }

    fn key(&mut self, props: &[String]) -> String {
        if !props.is_empty() && self.rng.gen_bool(0.7) {
            let p = &props[self.rng.gen_range(0..props.len())];
            let p = match self.rng.gen_range(0..3) {
                0 => p.to_lowercase(),
                1 => p.to_uppercase(),
                _ => p.clone(),
            };
            serde_json::to_string(&p).expect("a key serialises")
        } else {
            self.string()
        }
    }

    fn object(&mut self, depth: u32, props: &[String]) -> String {
        let n = self.rng.gen_range(0..(props.len() + 4).min(12));
        let members: Vec<String> = (0..n)
            .map(|_| format!("{}:{}", self.key(props), self.value(depth, props)))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    fn deep(&mut self) -> String {
        let depth = *[10usize, 120, 127, 128, 129, 500, 5000]
            .get(self.rng.gen_range(0..7))
            .expect("in range");
        if self.rng.gen_bool(0.5) {
            format!("{}{}", "[".repeat(depth), "]".repeat(depth))
        } else {
            format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
        }
    }

    pub fn body(&mut self, props: &[String]) -> Vec<u8> {
        match self.rng.gen_range(0..10) {
            0 => (0..self.rng.gen_range(0..200))
                .map(|_| self.rng.gen::<u8>())
                .collect(),
            1 => self.value(0, props).into_bytes(),
            2 => self.deep().into_bytes(),
            3 => {
                let key = self.key(props);
                format!("{{{key}:{}}}", self.number()).into_bytes()
            }
            4 => {
                let key = self.key(props);
                format!("{{{key}:{}}}", self.deep()).into_bytes()
            }
            _ => self.object(0, props).into_bytes(),
        }
    }
}
