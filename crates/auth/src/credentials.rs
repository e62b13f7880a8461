//! Parse, don't validate: a `Username`, `Email` or `NewPassword` exists only if it is valid.
//! Names and emails are NFKC-normalised and compared case-insensitively, so "Ｍaya" and
//! "maya" cannot be two accounts.

use unicode_normalization::UnicodeNormalization;

const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing it is not a denial of service.
const MAX_PASSWORD_BYTES: usize = 1024;
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("user names are 3 to 32 letters, digits, dots, dashes or underscores")]
    InvalidUsername,
    #[error("that is not an email address")]
    InvalidEmail,
    #[error("passwords need at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("passwords may be at most {MAX_PASSWORD_BYTES} bytes long")]
    PasswordTooLong,
    #[error("that password is among the most common ones and would be guessed first; choose another")]
    PasswordTooCommon,
}

fn normalise(text: &str) -> String {
    text.trim().nfkc().collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username {
    display: String,
    key: String,
}

impl Username {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let display = normalise(raw);
        let length = display.chars().count();
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '_');
        if !(3..=32).contains(&length) || !display.chars().all(allowed) {
            return Err(CredentialError::InvalidUsername);
        }
        let key = display.to_lowercase();
        Ok(Self { display, key })
    }

    /// As the user typed it (normalised).
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// What uniqueness is decided on.
    pub fn key(&self) -> &str {
        &self.key
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    display: String,
    key: String,
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        let display = normalise(raw);
        let (local, domain) = display.rsplit_once('@').ok_or(CredentialError::InvalidEmail)?;
        let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
        if local.is_empty() || !domain_ok || display.len() > 254 || display.chars().any(char::is_whitespace) {
            return Err(CredentialError::InvalidEmail);
        }
        let key = display.to_lowercase();
        Ok(Self { display, key })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A password someone wants to set, checked against the policy (OWASP ASVS V2.1:
/// length over composition rules, and a deny-list of common passwords).
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, CredentialError> {
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(CredentialError::PasswordTooLong);
        }
        if raw.chars().count() < MIN_PASSWORD_CHARS {
            return Err(CredentialError::PasswordTooShort);
        }
        let lowered = raw.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|common| common == lowered) {
            return Err(CredentialError::PasswordTooCommon);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never print a password, not even in debug output.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_compared_without_case() {
        let fullwidth = Username::parse("Ｍaya_Okonkwo").unwrap();
        let plain = Username::parse("maya_okonkwo").unwrap();
        assert_eq!(fullwidth.key(), plain.key());
        assert_eq!(fullwidth.as_str(), "Maya_Okonkwo");
        assert!(Username::parse("zoë.ångström").is_ok());
        for bad in ["ab", "has space", "semi;colon", &"x".repeat(33)] {
            assert_eq!(Username::parse(bad), Err(CredentialError::InvalidUsername), "{bad}");
        }
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(Email::parse(" Maya@Example.COM ").unwrap().key(), "maya@example.com");
        for bad in ["maya", "@example.com", "maya@localhost", "maya@.com", "ma ya@example.com"] {
            assert_eq!(Email::parse(bad), Err(CredentialError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn passwords_follow_the_policy() {
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert!(matches!(NewPassword::parse("short"), Err(CredentialError::PasswordTooShort)));
        assert!(matches!(NewPassword::parse("Password123"), Err(CredentialError::PasswordTooCommon)));
        assert!(matches!(NewPassword::parse(&"x".repeat(2000)), Err(CredentialError::PasswordTooLong)));
        // Ten characters, not ten bytes: accented passphrases count by character.
        assert!(matches!(NewPassword::parse("ééééééééé"), Err(CredentialError::PasswordTooShort)));
        assert_eq!(format!("{:?}", NewPassword::parse("correct horse battery").unwrap()), "NewPassword(***)");
    }
}
