//! Sign-up in the authorize step, over real HTTP: a new account, its code, its tokens.

use reqwest::StatusCode;

use crate::helpers::{Engine, on_every_engine};
use crate::oauth::{Flow, VERIFIER};

on_every_engine!(
    sign_up_creates_a_free_user_and_signs_it_in,
    the_first_account_signed_up_on_an_empty_instance_is_its_admin,
    sign_in_and_sign_up_link_to_each_other_with_the_oauth_parameters,
    taken_names_and_emails_are_refused_with_409_in_any_case_or_normalisation_form,
    weak_passwords_invalid_emails_and_mismatched_confirmations_are_refused,
    sign_up_refuses_unknown_clients_and_redirects_on_its_own_page,
    html_in_entered_values_is_escaped_when_the_form_is_shown_again,
);

const NEW_PASSWORD: &str = "a new listeners passphrase";

/// Posts the sign-up form with the flow's OAuth parameters.
async fn sign_up(flow: &Flow, username: &str, email: &str, password: &str, confirmation: &str) -> reqwest::Response {
    sign_up_with(flow, flow.params(), username, email, password, confirmation).await
}

async fn sign_up_with(
    flow: &Flow,
    params: Vec<(&'static str, String)>,
    username: &str,
    email: &str,
    password: &str,
    confirmation: &str,
) -> reqwest::Response {
    let mut form = params;
    form.extend([
        ("username", username.to_owned()),
        ("email", email.to_owned()),
        ("password", password.to_owned()),
        ("password_confirmation", confirmation.to_owned()),
    ]);
    flow.browser.post(flow.app.url("/oauth/sign-up")).form(&form).send().await.unwrap()
}

/// A refused sign-up: its status and the form shown again.
async fn refused(response: reqwest::Response) -> (StatusCode, String) {
    assert!(response.headers().get("location").is_none(), "a refused sign-up is not redirected");
    (response.status(), response.text().await.unwrap())
}

async fn sign_up_creates_a_free_user_and_signs_it_in(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let response = sign_up(&flow, "Nadia", "nadia@example.com", NEW_PASSWORD, NEW_PASSWORD).await;
    let code = flow.code_from(&response);

    let (status, tokens) = flow.exchange(&code, VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let (status, me) = flow.me(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        (me["username"].as_str(), me["email"].as_str(), me["role"].as_str(), me["tier"].as_str()),
        (Some("Nadia"), Some("nadia@example.com"), Some("user"), Some("free"))
    );
    // The new password signs in from now on.
    assert_eq!(flow.sign_in(flow.params(), "nadia", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    flow.app.stop().await;
}

async fn the_first_account_signed_up_on_an_empty_instance_is_its_admin(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    for user in users.list_users().await.unwrap() {
        users.delete_user(user.id).await.unwrap();
    }
    let response = sign_up(&flow, "founder", "founder@example.com", NEW_PASSWORD, NEW_PASSWORD).await;
    let (status, tokens) = flow.exchange(&flow.code_from(&response), VERIFIER).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let (_, me) = flow.me(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!((me["role"].as_str(), me["tier"].as_str()), (Some("admin"), Some("free")), "{me}");

    let second = sign_up(&flow, "second", "second@example.com", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    let roles: Vec<_> = users.list_users().await.unwrap().into_iter().map(|user| user.role.as_str()).collect();
    assert_eq!(roles, ["admin", "user"]);
    flow.app.stop().await;
}

async fn sign_in_and_sign_up_link_to_each_other_with_the_oauth_parameters(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let query = serde_urlencoded::to_string(flow.params()).unwrap();
    let sign_in = flow.browser.get(flow.app.url(&format!("/oauth/authorize?{query}"))).send().await.unwrap();
    let sign_in = sign_in.text().await.unwrap();
    let to_sign_up = link_labelled(&sign_in, "Create an account");
    assert!(to_sign_up.starts_with("/oauth/sign-up?"), "{to_sign_up}");

    let sign_up = flow.browser.get(flow.app.url(&to_sign_up)).send().await.unwrap();
    assert_eq!(sign_up.status(), StatusCode::OK);
    let sign_up = sign_up.text().await.unwrap();
    assert!(sign_up.contains(r#"<form method="post" action="/oauth/sign-up">"#), "{sign_up}");
    for field in ["username", "email", "password", "password_confirmation"] {
        assert!(sign_up.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(sign_up.contains("Already have an account?"));
    let to_sign_in = link_labelled(&sign_up, "Sign in");
    assert!(to_sign_in.starts_with("/oauth/authorize?"), "{to_sign_in}");
    for link in [&to_sign_up, &to_sign_in] {
        let carried: Vec<(String, String)> = serde_urlencoded::from_str(link.split_once('?').unwrap().1).unwrap();
        let expected: Vec<(String, String)> =
            flow.params().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        assert_eq!(sorted(carried), sorted(expected), "{link}");
    }
    flow.app.stop().await;
}

/// The unescaped `href` of the link that reads `label`.
fn link_labelled(html: &str, label: &str) -> String {
    let (before, _) =
        html.split_once(&format!(">{label}</a>")).unwrap_or_else(|| panic!("no {label:?} link in {html}"));
    let (_, href) = before.rsplit_once(r#"href=""#).expect("a link");
    href.split_once('"').unwrap().0.replace("&amp;", "&")
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

async fn taken_names_and_emails_are_refused_with_409_in_any_case_or_normalisation_form(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let first = sign_up(&flow, "zoë.ång", "zoe@example.com", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);

    // Upper case; "e" + combining diaeresis (NFD); a fullwidth letter (NFKC folds it).
    for name in ["ZOË.ÅNG", "zoe\u{308}.a\u{30a}ng", "ｚoë.ång"] {
        let (status, html) =
            refused(sign_up(&flow, name, "someone.else@example.com", NEW_PASSWORD, NEW_PASSWORD).await).await;
        assert_eq!(status, StatusCode::CONFLICT, "{name}");
        assert!(html.contains("That user name is taken"), "{html}");
        assert!(html.contains(r#"value="someone.else@example.com""#), "the email is kept: {html}");
        assert!(!html.contains(NEW_PASSWORD), "the password is never echoed");
    }
    let (status, html) =
        refused(sign_up(&flow, "another_name", "ZOE@Example.COM", NEW_PASSWORD, NEW_PASSWORD).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("That email address already has an account"), "{html}");
    assert!(html.contains(r#"value="another_name""#), "the name is kept: {html}");
    assert!(!html.contains("zoë.ång"), "the refusal names no existing account");

    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    let zoes = users.list_users().await.unwrap().into_iter().filter(|user| user.email.starts_with("zoe")).count();
    assert_eq!(zoes, 1);
    flow.app.stop().await;
}

async fn weak_passwords_invalid_emails_and_mismatched_confirmations_are_refused(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let cases = [
        ("too short", "too short", "Passwords need at least 10 characters."),
        ("Password123", "Password123", "among the most common ones"),
        (NEW_PASSWORD, "a different passphrase", "The two passwords differ."),
    ];
    for (password, confirmation, message) in cases {
        let (status, html) =
            refused(sign_up(&flow, "weakling", "weak@example.com", password, confirmation).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{password}");
        assert!(html.contains(message), "{message}: {html}");
        assert!(html.contains(r#"value="weakling""#) && html.contains(r#"value="weak@example.com""#));
        assert!(!html.contains(password) && !html.contains(confirmation), "passwords are never echoed");
    }
    let (status, html) = refused(sign_up(&flow, "weakling", "not-an-email", NEW_PASSWORD, NEW_PASSWORD).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("That is not an email address."), "{html}");

    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    assert!(users.list_users().await.unwrap().iter().all(|user| user.username != "weakling"), "nothing was created");
    flow.app.stop().await;
}

async fn sign_up_refuses_unknown_clients_and_redirects_on_its_own_page(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let with = |name: &'static str, value: &str| {
        let mut params = flow.params();
        params.retain(|(key, _)| *key != name);
        params.push((name, value.to_owned()));
        params
    };
    for params in [with("client_id", "someone-else"), with("redirect_uri", "https://evil.example/callback")] {
        let query = serde_urlencoded::to_string(&params).unwrap();
        let page = flow.browser.get(flow.app.url(&format!("/oauth/sign-up?{query}"))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        assert!(page.headers().get("location").is_none());
        assert!(page.text().await.unwrap().contains("This sign-in link is not valid"));

        let (status, _) =
            refused(sign_up_with(&flow, params, "mallory", "m@example.com", NEW_PASSWORD, NEW_PASSWORD).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    // Without PKCE the error goes back to the (trusted) client, and no account is made.
    let response = sign_up_with(
        &flow,
        with("code_challenge_method", "plain"),
        "mallory",
        "m@example.com",
        NEW_PASSWORD,
        NEW_PASSWORD,
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(response.headers()["location"].to_str().unwrap().contains("error=invalid_request"));

    let users = tonearm_store::open(flow.app.database_url()).await.unwrap().users;
    assert!(users.list_users().await.unwrap().iter().all(|user| user.username != "mallory"));
    flow.app.stop().await;
}

async fn html_in_entered_values_is_escaped_when_the_form_is_shown_again(engine: Engine) {
    let flow = Flow::start(&engine).await;
    let injected = r#""><script>alert(1)</script>"#;
    let mut params = flow.params();
    params.retain(|(key, _)| *key != "state");
    params.push(("state", injected.to_owned()));
    let (status, html) = refused(
        sign_up_with(&flow, params, injected, &format!("{injected}@example.com"), NEW_PASSWORD, NEW_PASSWORD).await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains(r#"value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#), "{html}");
    flow.app.stop().await;
}
