"""A download (``nominations.services.downloads``) as the HTTP response the pages and the API both send."""

from django.http import FileResponse, Http404, HttpResponse


def respond(download):
    """The file as an attachment; no file is a 404, as for an object one may not see."""
    if download is None:
        raise Http404
    if isinstance(download.content, bytes):
        response = HttpResponse(download.content, content_type=download.content_type)
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        return response
    return FileResponse(download.content, as_attachment=True, filename=download.filename)
