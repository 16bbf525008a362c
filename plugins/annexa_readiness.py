"""Annex A readiness in the Airflow UI (Airflow 3 plugin: a FastAPI app and an external view).

The page and its JSON show, per LA, the latest good return and its age, the last run's outcome
and top failing rules, with links to its report, worklist, workbook and pack. Every route needs
an authenticated Airflow user (the UI's session cookie or an API bearer token). All logic is in
``annexa.readiness``; this file only wires it into the api-server.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

PREFIX = "/annexa"
MEDIA = {
    "report": "text/html",
    "worklist": "text/csv",
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pack": "text/html",
}


async def authenticated(request: Request) -> None:
    """Airflow's own check (``get_user``: a bearer token, else the UI's session cookie); 401 or
    403 without a valid one. Imported when called: plugins also load in workers."""
    from airflow.api_fastapi.core_api.security import get_user
    from fastapi.security import HTTPAuthorizationCredentials

    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    creds = HTTPAuthorizationCredentials(scheme=scheme, credentials=token) if token else None
    await get_user(request, None, creds)


app = FastAPI(
    title="annexa readiness",
    description="Readiness of each LA's Annex A return",
    dependencies=[Depends(authenticated)],
)


@app.get("/readiness.json")
def readiness_json() -> JSONResponse:
    from annexa.readiness import readiness

    return JSONResponse(readiness(), headers={"Cache-Control": "no-store"})


@app.get("/readiness", response_class=HTMLResponse)
def readiness_page() -> HTMLResponse:
    from annexa.readiness import readiness, render_page

    return HTMLResponse(render_page(readiness(), PREFIX), headers={"Cache-Control": "no-store"})


@app.get("/files/{la}/{kind}")
def readiness_file(la: str, kind: str) -> FileResponse:
    from annexa.readiness import file_for

    try:
        path = file_for(la, kind)
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail="not found") from None
    download = kind in ("worklist", "workbook")
    return FileResponse(
        path,
        media_type=MEDIA[kind],
        filename=path.name if download else None,
        headers={"Cache-Control": "no-store"},
    )


class AnnexaReadinessPlugin(AirflowPlugin):
    name = "annexa_readiness"
    fastapi_apps = [{"app": app, "url_prefix": PREFIX, "name": "Annex A readiness"}]
    external_views = [
        {
            "name": "Annex A readiness",
            "href": f"{PREFIX}/readiness",
            "url_route": "annexa-readiness",
            "destination": "nav",
            "category": "browse",
        }
    ]
