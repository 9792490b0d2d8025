"""Staff can look at self-assessments in the admin but never change them."""

from selfassess.models import Assessment
from tests.selfassess.conftest import rate


def test_staff_see_an_assessment_with_its_ratings_read_only(admin_client, assessment):
    rate(assessment, {("1.01", 1): "achieved"})
    response = admin_client.get(f"/admin/selfassess/assessment/{assessment.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Achieved" in html
    assert 'name="_save"' not in html


def test_staff_cannot_change_or_delete_an_assessment(admin_client, assessment):
    change = f"/admin/selfassess/assessment/{assessment.pk}/change/"
    assert admin_client.post(change, {"status": "completed"}).status_code == 403
    delete = f"/admin/selfassess/assessment/{assessment.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk, status="in_progress").exists()


def test_practitioners_cannot_open_the_admin(practitioner_client, assessment):
    response = practitioner_client.get("/admin/selfassess/assessment/")
    assert response.status_code == 302
