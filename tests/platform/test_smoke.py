from pingan.platform.auth.models import Role


def test_login_and_home(client_for, make_user):
    user = make_user(Role.DUTY_OFFICER)
    client = client_for(user)
    page = client.get("/")
    assert page.status_code == 200
    assert "我的待办" in page.text
    assert client.get("/api/v1/me").json()["unit"] == "331003-01"
