import base64
import re
from urllib.parse import parse_qs, urlparse

import pyotp

from audit_app.auth import totp
from audit_app.security import content_security_policy

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_790_000_000.0  # a moment in 2026; 30-second steps
STEP = int(NOW // 30)


def code_at(step: int) -> str:
    return pyotp.TOTP(SECRET).generate_otp(step)


def test_the_current_code_matches_its_time_step():
    assert totp.matching_step(SECRET, code_at(STEP), now=NOW) == STEP


def test_codes_one_step_either_side_are_accepted_for_clock_drift():
    assert totp.matching_step(SECRET, code_at(STEP - 1), now=NOW) == STEP - 1
    assert totp.matching_step(SECRET, code_at(STEP + 1), now=NOW) == STEP + 1


def test_codes_two_steps_away_are_refused():
    assert totp.matching_step(SECRET, code_at(STEP - 2), now=NOW) is None
    assert totp.matching_step(SECRET, code_at(STEP + 2), now=NOW) is None


def test_a_code_typed_with_spaces_or_a_dash_still_matches():
    code = code_at(STEP)
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", now=NOW) == STEP
    assert totp.matching_step(SECRET, f"{code[:3]}-{code[3:]}", now=NOW) == STEP


def test_codes_of_the_wrong_shape_never_match():
    for code in ("", "12345", "1234567", "abcdef", None):
        assert totp.matching_step(SECRET, code, now=NOW) is None


def test_a_new_secret_is_160_random_bits_in_base32():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second
    assert re.fullmatch(r"[A-Z2-7]{32}", first)


def test_the_secret_is_shown_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJKLMNOP") == "ABCD EFGH IJKL MNOP"


def test_the_setup_link_names_the_service_and_the_account():
    uri = urlparse(totp.provisioning_uri(SECRET, "manager@demoshire.example"))
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    query = parse_qs(uri.query)
    assert query["secret"] == [SECRET]
    assert query["issuer"] == ["Safeguarding self-audit"]
    assert "manager%40demoshire.example" in uri.path


def test_the_qr_code_is_a_small_svg_image_with_a_quiet_zone():
    uri = totp.qr_code_data_uri(totp.provisioning_uri(SECRET, "manager@demoshire.example"))
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert (size - 8 - 17) % 4 == 0  # a QR version's modules, plus 4 either side
    assert svg.count("<path") == 1 and "style" not in svg
    assert len(uri) < 20_000
    # The top-left finder pattern: a row of 7 dark modules, starting inside the quiet zone.
    assert "M4 4h7v1h-7z" in svg


def test_the_content_security_policy_allows_no_inline_script_or_style():
    policy = content_security_policy("abc123")
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["script-src"] == "'self' 'nonce-abc123'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
