def test_admin_login_page_is_vietnamese(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_home_sends_anonymous_users_to_login(client, db):
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert "login" in response.redirect_chain[-1][0]


def test_english_is_available_when_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    assert "Log in" in client.get("/admin/login/").content.decode()


def test_the_browser_language_does_not_override_vietnamese(client, db):
    response = client.get("/admin/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in response.content.decode()
