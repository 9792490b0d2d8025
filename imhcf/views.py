from django.http import HttpResponse


def home(request):
    return HttpResponse("ok")


healthz = framework_overview = glossary = download_json = download_csv = home


def domain_detail(request, number):
    return home(request)
