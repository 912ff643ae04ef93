import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from marketplace.organizations.uscc import CHARSET, check_character, validate_uscc

# Published codes of real companies (checked by hand against the GB 32100 algorithm).
KNOWN_VALID = ["91350100M000100Y43", "91110000802100433B", "91330200MA0000042U"]

bodies = st.text(alphabet=CHARSET, min_size=17, max_size=17)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_valid_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("9135010", "length"),
        ("91350100M000100Y431", "length"),
        ("91350100M000100YO3", "charset"),  # letter O is not in the character set
        ("91350100m000100y4I", "charset"),
        ("91350100M000100Y44", "checksum"),
    ],
)
def test_invalid_codes_name_the_problem(code, error_code):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.code == error_code


def test_lower_case_and_spaces_are_normalized():
    validate_uscc(" 91350100m000100y43 ")


@given(bodies)
def test_any_body_with_its_check_character_is_valid(body):
    validate_uscc(body + check_character(body))


@given(bodies, st.sampled_from(CHARSET))
def test_a_wrong_check_character_is_refused(body, wrong):
    if wrong == check_character(body):
        wrong = CHARSET[(CHARSET.index(wrong) + 1) % len(CHARSET)]
    with pytest.raises(ValidationError):
        validate_uscc(body + wrong)


@given(bodies, st.integers(min_value=0, max_value=16), st.sampled_from(CHARSET))
def test_any_single_character_typo_is_detected(body, position, replacement):
    code = body + check_character(body)
    typo = code[:position] + replacement + code[position + 1 :]
    if typo == code:
        return
    with pytest.raises(ValidationError):
        validate_uscc(typo)
