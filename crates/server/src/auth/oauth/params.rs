//! The parameters of an authorize request (RFC 6749 §4.1.1, RFC 7636 §4.3), which the
//! sign-in and sign-up pages carry along in their forms and links.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub state: Option<String>,
}
