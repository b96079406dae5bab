//! The reading rules at the crate's boundary, as data: decimals read exactly, money never
//! a JSON float, unknown fields refused, syntax errors located, configuration keys in
//! range; each error the one line a person reads.

use std::fmt::Debug;
use std::path::Path;

use tokenomics_config::{
    inputs_in_dir, parse_amount, parse_inputs, read_inputs, Config, Error, Format,
};
use tokenomics_core::{Amount, CoreError, Fraction};

const JSON: &str = "epoch.json";
const TOML: &str = "tokenomics.toml";

/// An inputs file of epoch 1 with `fields` (each followed by a comma) and the two
/// required addresses.
fn inputs(fields: &str) -> String {
    format!(
        r#"{{"epoch": 1, {fields} "community_address": "0x00000000000000000000000000000000000000cc", "dao_address": "0x00000000000000000000000000000000000000dd"}}"#
    )
}

fn read_json<T>(
    fields: &str,
    pick: impl Fn(tokenomics_core::EpochInputs) -> T,
) -> Result<T, Error> {
    parse_inputs(&inputs(fields), Path::new(JSON)).map(|loaded| pick(loaded.inputs))
}

fn read_toml<T>(text: &str, pick: impl Fn(Config) -> T) -> Result<T, Error> {
    Config::parse(text, Path::new(TOML)).map(pick)
}

/// `got` is `want`: the same value, or an error printing exactly this line.
#[track_caller]
fn check<T: PartialEq + Debug>(got: Result<T, Error>, want: Result<T, &str>) {
    match (got, want) {
        (Ok(got), Ok(want)) => assert_eq!(got, want),
        (Err(got), Err(want)) => assert_eq!(got.to_string(), want),
        (got, want) => panic!("got {got:?}, want {want:?}"),
    }
}

fn fraction(text: &str) -> Fraction {
    text.parse().unwrap()
}

fn amount(text: &str) -> Amount {
    text.parse().unwrap()
}

#[test]
fn decimals_are_read_exactly_never_through_f64() {
    let score = |i: tokenomics_core::EpochInputs| i.miners[0].score;
    let miner = |score: &str| {
        format!(
            r#""miners": [{{"address": "0x00000000000000000000000000000000000000aa", "score": {score}}}],"#
        )
    };
    check(read_json(&miner("0.1"), score), Ok(fraction("0.1")));
    check(read_json(&miner("\"0.1\""), score), Ok(fraction("0.1")));
    check(read_json(&miner("1e-1"), score), Ok(fraction("0.1")));
    check(
        read_json(r#""fees": {"slashing": "0.1"},"#, |i| i.fees.slashing),
        Ok(amount("0.1")),
    );
    check(
        read_json(r#""recycling_pool": 12,"#, |i| i.recycling_pool),
        Ok(amount("12")),
    );
    check(
        read_toml("[burn]\nslashing = 0.1\n", |c| c.burn.slashing),
        Ok(fraction("0.1")),
    );
    check(
        read_toml("[burn]\nslashing = \"0.1\"\n", |c| c.burn.slashing),
        Ok(fraction("0.1")),
    );
}

#[test]
fn a_json_float_in_a_money_field_is_refused_naming_the_field() {
    check(
        read_json(r#""fees": {"slashing": 0.1},"#, |_| ()),
        Err(
            r#"epoch.json: fees.slashing: amount 0.1 must be a decimal string ("0.1"); only whole numbers without a decimal point may be JSON numbers at line 1 column 38"#,
        ),
    );
    let error = read_json(r#""recycling_pool": 2.5,"#, |_| ()).unwrap_err();
    assert!(
        matches!(&error, Error::Field { file, field, .. } if file == Path::new(JSON) && field == "recycling_pool"),
        "{error:?}"
    );
}

#[test]
fn an_unknown_field_or_key_is_refused() {
    let unknown = read_json(r#""bogus": 1,"#, |_| ()).unwrap_err().to_string();
    assert!(
        unknown.starts_with("epoch.json: bogus: unknown field `bogus`"),
        "{unknown}"
    );
    let nested = read_json(r#""fees": {"tips": "1"},"#, |_| ())
        .unwrap_err()
        .to_string();
    assert!(
        nested.starts_with("epoch.json: fees.tips: unknown field `tips`"),
        "{nested}"
    );
    let key = read_toml("[burn]\ntips = 0.5\n", |_| ())
        .unwrap_err()
        .to_string();
    assert!(
        key.starts_with("tokenomics.toml: [burn] tips: unknown field `tips`"),
        "{key}"
    );
    let section = read_toml("[tips]\nx = 1\n", |_| ())
        .unwrap_err()
        .to_string();
    assert!(
        section.starts_with("tokenomics.toml: [tips]: unknown field `tips`"),
        "{section}"
    );
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    check(
        parse_inputs("{\"epoch\": 1,\n \"utility_score\": 0.5x}", Path::new(JSON)).map(|_| ()),
        Err("epoch.json: utility_score: JSON syntax error at line 2, column 22: expected `,` or `}`"),
    );
    check(
        read_toml("[burn]\nslashing = = 1\n", |_| ()),
        Err("tokenomics.toml: TOML syntax error at line 2, column 12: extra `=`, expected nothing"),
    );
    let error = read_toml("[rpc\n", |_| ()).unwrap_err();
    assert!(
        matches!(&error, Error::Syntax { format: Format::Toml, position: Some(p), .. } if p.line == 1),
        "{error:?}"
    );
}

#[test]
fn a_config_key_out_of_range_names_its_section_and_key() {
    let cases = [
        (
            "[rpc]\ntimeout_ms = 0\n",
            "[rpc] timeout_ms: must be at least 1",
        ),
        (
            "[evm]\nconfirmations = 0\n",
            "[evm] confirmations: must be at least 1",
        ),
        (
            "[evm]\ngas_price_multiplier = 1.00001\n",
            "[evm] gas_price_multiplier: 1.00001: at most 4 decimals",
        ),
        (
            "[emission]\nhalving_interval = 0\n",
            "emission.halving_interval: must be at least 1",
        ),
    ];
    for (text, reason) in cases {
        check(read_toml(text, |_| ()), Err(&format!("{TOML}: {reason}")));
    }
    let error = read_toml("[rpc]\ntimeout_ms = 0\n", |_| ()).unwrap_err();
    assert!(
        matches!(&error, Error::Field { field, reason, .. } if field == "[rpc] timeout_ms" && reason == "must be at least 1"),
        "{error:?}"
    );
}

#[test]
fn a_long_value_is_echoed_cut_short() {
    let long = "9".repeat(100);
    check(
        read_json(&format!(r#""recycling_pool": "{long}","#), |_| ()),
        Err(&format!(
            "epoch.json: recycling_pool: invalid decimal \"{}… (100 characters)\": too large at line 1 column 133",
            "9".repeat(32)
        )),
    );
}

#[test]
fn core_refusals_and_files_are_named_as_read() {
    let core = CoreError::InvalidInput {
        field: "miners[0].score",
        reason: "must be at most 1".into(),
    };
    check::<()>(
        Err(Error::refused_inputs(Path::new("-"), &core)),
        Err("<stdin>: miners[0].score: must be at most 1"),
    );
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    assert!(matches!(
        read_inputs(&missing),
        Err(Error::Unreadable { .. })
    ));
    check(
        inputs_in_dir(dir.path()),
        Err(&format!(
            "{}: no .json epoch inputs files in this folder",
            dir.path().display()
        )),
    );
    std::fs::write(dir.path().join("b.json"), inputs("")).unwrap();
    std::fs::write(dir.path().join("a.json"), inputs("")).unwrap();
    let files = inputs_in_dir(dir.path()).unwrap();
    assert_eq!(
        files,
        [dir.path().join("a.json"), dir.path().join("b.json")]
    );
    let loaded = read_inputs(&files[0]).unwrap();
    assert!(!loaded.minted_given);
    assert!(matches!(
        Config::load(Some(&missing)),
        Err(Error::Unreadable { .. })
    ));
    let defaults = Config::load(None).unwrap();
    assert_eq!(defaults.params(), tokenomics_core::Params::default());
}

#[test]
fn an_amount_outside_a_file_is_refused_naming_it() {
    check(parse_amount("--mint-cap", "9450000"), Ok(amount("9450000")));
    check(
        parse_amount("--mint-cap", "1.5.0"),
        Err("--mint-cap: invalid decimal \"1.5.0\": expected digits after '.'"),
    );
}

#[test]
fn the_default_treasury_is_treasury_in_ascii_zero_padded_and_100_transfers_are_verified() {
    let executor = |c: Config| {
        (
            c.executor.treasury.to_string(),
            c.executor.verify_sample.get(),
        )
    };
    check(
        read_toml("", executor),
        Ok((
            "0x7472656173757279000000000000000000000000".to_string(),
            100,
        )),
    );
}

#[test]
fn a_verify_sample_of_zero_is_refused() {
    let sample = |c: Config| c.executor.verify_sample.get();
    let got = read_toml("[executor]\nverify_sample = 0\n", sample);
    assert!(
        got.as_ref()
            .is_err_and(|e| e.to_string().contains("must be at least 1")),
        "{got:?}"
    );
}

#[test]
fn the_evm_node_limits_default_to_the_senders_and_reach_its_config_as_written() {
    let limits = |c: Config| {
        let sender = c.evm.sender_config(1, None).unwrap();
        (
            sender.max_pending,
            sender.block_gas_limit,
            sender.intrinsic_gas_base,
            sender.intrinsic_gas_per_byte,
        )
    };
    check(read_toml("", limits), Ok((16, 30_000_000, 21_000, 68)));
    let text = "[evm]\nmax_pending = 4\nblock_gas_limit = 20000000\n\
                intrinsic_gas_base = 21500\nintrinsic_gas_per_byte = 16\n";
    check(read_toml(text, limits), Ok((4, 20_000_000, 21_500, 16)));
}

#[test]
fn an_evm_node_limit_out_of_range_or_not_an_integer_is_refused_naming_the_key() {
    let cases = [
        (
            "max_pending = 0",
            "[evm] max_pending: must be at least 1, found 0",
        ),
        (
            "block_gas_limit = 9999999",
            "[evm] block_gas_limit: must be at least max_gas_per_tx (10000000), found 9999999",
        ),
        (
            "intrinsic_gas_base = 20999",
            "[evm] intrinsic_gas_base: must be at least 21000, found 20999",
        ),
        (
            "intrinsic_gas_base = 10000001",
            "[evm] intrinsic_gas_base: must be at most max_gas_per_tx (10000000), found 10000001",
        ),
        (
            "intrinsic_gas_per_byte = 9979001",
            "[evm] intrinsic_gas_per_byte: must be at most max_gas_per_tx - intrinsic_gas_base \
             (9979000): one calldata byte must fit in a transaction, found 9979001",
        ),
        (
            "max_pending = 16.5",
            "[evm] max_pending: invalid type: string \"16.5\", expected u32",
        ),
        (
            "max_pending = -1",
            "[evm] max_pending: invalid value: integer `-1`, expected u32",
        ),
        (
            "intrinsic_gas_per_byte = \"68\"",
            "[evm] intrinsic_gas_per_byte: invalid type: string \"68\", expected u64",
        ),
    ];
    for (line, reason) in cases {
        let text = format!("[evm]\n{line}\n");
        check(read_toml(&text, |_| ()), Err(&format!("{TOML}: {reason}")));
    }
}

#[test]
fn a_json_number_with_a_decimal_point_is_no_amount_even_when_whole() {
    for (number, expanded) in [("1000.0", "1000.0"), ("1.0e+20", "100000000000000000000")] {
        let error = read_json(&format!(r#""minted_supply": {number},"#), |_| ()).unwrap_err();
        let message = error.to_string();
        let wanted = format!(
            "epoch.json: minted_supply: amount {number} must be a decimal string (\"{expanded}\"); only whole numbers without a decimal point may be JSON numbers"
        );
        assert!(message.starts_with(&wanted), "{message}");
    }
    check(
        read_json(r#""minted_supply": 1000,"#, |i| i.minted_supply),
        Ok(amount("1000")),
    );
    check(
        read_json(r#""minted_supply": 1E3,"#, |i| i.minted_supply),
        Ok(amount("1000")),
    );
}

#[test]
fn without_position_drops_the_json_line_and_column_and_keeps_field_and_reason() {
    let field = read_json(r#""recycling_pool": 2.5,"#, |_| ()).unwrap_err();
    assert!(
        field.to_string().ends_with(" at line 1 column 34"),
        "{field}"
    );
    assert_eq!(
        field.without_position().to_string(),
        r#"epoch.json: recycling_pool: amount 2.5 must be a decimal string ("2.5"); only whole numbers without a decimal point may be JSON numbers"#
    );
    let syntax = parse_inputs("{\"epoch\": ", Path::new(JSON)).unwrap_err();
    assert_eq!(
        syntax.without_position().to_string(),
        "epoch.json: epoch: JSON syntax error: EOF while parsing a value"
    );
    let missing = parse_inputs(r#"{"epoch": 1}"#, Path::new(JSON)).unwrap_err();
    let text = missing.to_string();
    assert_eq!(
        missing.without_position().to_string(),
        text.split(" at line ").next().unwrap_or(&text)
    );
    let unchanged = Error::Setting {
        name: "--x".into(),
        reason: "bad at line 1 column x".into(),
    };
    assert_eq!(
        unchanged.without_position().to_string(),
        "--x: bad at line 1 column x"
    );
}

#[test]
fn plan_json_is_the_plan_in_the_specs_shape() {
    let loaded = parse_inputs(&inputs(r#""utility_score": "0.67","#), Path::new(JSON)).unwrap();
    let config = Config::default();
    let plan = config.plan(&loaded.inputs, Path::new(JSON), None).unwrap();
    let json = serde_json::to_string(&tokenomics_config::PlanJson::from(&plan)).unwrap();
    assert!(json.starts_with(r#"{"epoch":1,"halvings":0,"utility_score":0.67,"quality_multiplier":1,"emission":"670","#), "{json}");
    assert!(
        json.ends_with(&format!(r#""plan_hash":"{}"}}"#, plan.plan_hash)),
        "{json}"
    );
    let refused = parse_inputs(&inputs(r#""utility_score": "0.5", "network": {"task_volume": 1, "avg_task_difficulty": 0, "validator_participation": 0},"#), Path::new(JSON)).unwrap();
    assert_eq!(
        config
            .plan(&refused.inputs, Path::new(JSON), None)
            .unwrap_err()
            .to_string(),
        "epoch.json: utility_score: give utility_score or network, not both"
    );
    let core = tokenomics_core::schedule(
        &tokenomics_core::EmissionParams {
            halving_interval: 0,
            ..Config::default().emission
        },
        None,
    )
    .unwrap_err();
    assert!(Error::refused_config(Path::new(TOML), &core)
        .to_string()
        .starts_with("tokenomics.toml: "));
}
