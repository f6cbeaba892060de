"""The video pipeline on real, tiny videos made by ffmpeg: probe, renditions, poster, states."""

import subprocess
import tempfile
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtailmedia.models import get_media_model

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from videos import services
from videos.models import VideoProcessing, VideoRendition
from videos.services import VideoError, VideoInfo

from .support import ffprobe_streams, make_video, moov_before_mdat, require_ffmpeg


pytestmark = pytest.mark.django_db
Media = get_media_model()


@pytest.fixture
def editor(client):
    user = User.objects.create_user("sara", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def upload(client, path: Path, on_commit, title="ویدیوی آزمایشی"):
    """An editor's upload in the admin; the worker's task runs when the request commits."""
    content_type = "video/webm" if path.suffix == ".webm" else "video/mp4"
    return on_commit(
        client.post,
        "/admin/media/video/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type),
            "collection": "1",
            "tags": "",
        },
    )


def video_media(path: Path, on_commit) -> Media:
    def create():
        media = Media(title="ویدیو", type="video")
        with open(path, "rb") as fh:
            media.file.save(path.name, File(fh), save=False)
        media.save()
        return media

    return on_commit(create)


def _tmp_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob(f"{services.TMP_PREFIX}*")}


# --- what is planned: pure rules, no ffmpeg ---------------------------------------------


def _info(width, height):
    return VideoInfo(duration=10, width=width, height=height, has_audio=True, bitrate=None, size=1)


@pytest.mark.parametrize(
    ("width", "height", "names"),
    [
        (1920, 1080, ["360p", "720p"]),
        (1280, 720, ["360p", "720p"]),
        (1080, 1920, ["360p", "720p"]),  # a phone held upright: the short side counts
        (640, 360, ["360p"]),
        (320, 240, ["360p"]),  # smaller than 360p: one light copy at its own size
    ],
)
def test_renditions_are_never_larger_than_the_original(width, height, names):
    assert [spec.name for spec in services.plan(_info(width, height))] == names


def test_a_small_original_is_not_upscaled():
    spec = services.rendition_specs()[0]
    assert services._scale_filter(_info(320, 240), spec).startswith("scale=-2:240:")
    assert services._scale_filter(_info(1080, 1920), spec).startswith("scale=360:-2:")


# --- probing ----------------------------------------------------------------------------


def test_probe_reads_duration_dimensions_and_audio(tmp_path):
    info = services.probe(make_video(tmp_path, size="320x180", seconds=1.2))
    assert (info.width, info.height, info.has_audio) == (320, 180, True)
    assert info.duration == pytest.approx(1.2, abs=0.15)


def test_probe_swaps_dimensions_of_a_video_recorded_upright(tmp_path):
    info = services.probe(make_video(tmp_path, size="320x180", seconds=0.5, rotate=90))
    assert (info.width, info.height) == (180, 320)


@pytest.mark.parametrize(
    "content",
    [
        b"not a video at all" * 50,
        b"\x1a\x45\xdf\xa3" + b"\0" * 500,  # WebM's first bytes, nothing after
        b"\x00\x00\x00\x18ftypmp42" + b"\0" * 500,  # MP4's first bytes, nothing after
    ],
)
def test_probe_refuses_what_is_not_a_video(tmp_path, content):
    require_ffmpeg()
    path = tmp_path / "fake.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoError) as refused:
        services.probe(path)
    assert refused.value.reason == VideoProcessing.Reason.NOT_A_VIDEO


def test_probe_refuses_a_still_image(tmp_path):
    require_ffmpeg()
    image = tmp_path / "photo.png"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x64",
            "-frames:v",
            "1",
            image,
        ],
        check=True,
    )
    with pytest.raises(VideoError):
        services.probe(image)


# --- the admin upload -------------------------------------------------------------------


def test_a_broken_file_with_video_first_bytes_is_refused_in_persian(client, editor, on_commit):
    require_ffmpeg()
    before = Media.objects.count(), VideoProcessing.objects.count()
    fake = Path(tempfile.mkdtemp()) / "clip.mp4"
    # MP4's first bytes pass the file-type check; there is no video behind them.
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00garbage" * 300)
    response = upload(client, fake, on_commit)
    assert response.status_code == 200
    assert "این فایل ویدیویی نیست که بتوان پخشش کرد" in response.content.decode()
    assert (Media.objects.count(), VideoProcessing.objects.count()) == before


def test_an_uploaded_video_gets_360p_and_720p_renditions_and_a_poster(
    client, editor, on_commit, tmp_path
):
    response = upload(client, make_video(tmp_path, size="1280x720", seconds=1.5), on_commit)
    assert response.status_code == 302
    media = Media.objects.latest("pk")
    row = VideoProcessing.objects.get(media=media)
    assert row.state == VideoProcessing.State.READY, (row.reason, row.detail)
    renditions = {r.name: r for r in row.renditions.all()}
    assert set(renditions) == {"360p", "720p"}
    assert (renditions["360p"].width, renditions["360p"].height) == (640, 360)
    assert (renditions["720p"].width, renditions["720p"].height) == (1280, 720)
    for rendition in renditions.values():
        data = rendition.file.read()
        assert rendition.size == len(data)
        assert moov_before_mdat(data), "+faststart"
        streams = ffprobe_streams(rendition.file.path)["streams"]
        assert {s["codec_name"] for s in streams} == {"h264", "aac"}
    # The phones' copy stays under 500 kbit/s.
    assert renditions["360p"].bitrate < 500_000
    assert row.poster and row.poster.name.endswith(".jpg")
    media.refresh_from_db()
    assert (media.width, media.height) == (1280, 720)
    assert media.duration == pytest.approx(1.5, abs=0.15)


def test_a_portrait_phone_video_keeps_its_shape(on_commit, tmp_path):
    media = video_media(make_video(tmp_path, size="720x1280", seconds=1), on_commit)
    sizes = {
        r.name: (r.width, r.height) for r in VideoRendition.objects.filter(processing__media=media)
    }
    assert sizes == {"360p": (360, 640), "720p": (720, 1280)}


def test_a_small_webm_gets_one_light_mp4_at_its_own_size(on_commit, tmp_path):
    media = video_media(make_video(tmp_path, "clip.webm", size="320x240", seconds=1), on_commit)
    (rendition,) = VideoRendition.objects.filter(processing__media=media)
    assert (rendition.name, rendition.width, rendition.height) == ("360p", 320, 240)
    assert rendition.mime_type == "video/mp4"


def test_a_video_without_sound_is_transcoded(on_commit, tmp_path):
    media = video_media(make_video(tmp_path, size="320x180", audio=False), on_commit)
    row = VideoProcessing.objects.get(media=media)
    assert row.state == VideoProcessing.State.READY
    (rendition,) = row.renditions.all()
    assert [s["codec_type"] for s in ffprobe_streams(rendition.file.path)["streams"]] == ["video"]


def test_an_editors_thumbnail_means_no_generated_poster(on_commit, tmp_path):
    def create():
        media = Media(title="با پوستر", type="video")
        media.thumbnail.save("thumb.jpg", ContentFile(b"\xff\xd8\xff" + b"0" * 20), save=False)
        with open(make_video(tmp_path, size="320x180"), "rb") as fh:
            media.file.save("clip.mp4", File(fh), save=False)
        media.save()
        return media

    row = VideoProcessing.objects.get(media=on_commit(create))
    assert row.state == VideoProcessing.State.READY
    assert not row.poster


# --- idempotency, failures, limits --------------------------------------------------------


def test_the_same_upload_is_not_transcoded_twice(on_commit, tmp_path, monkeypatch):
    media = video_media(make_video(tmp_path, size="320x180"), on_commit)
    before = list(VideoRendition.objects.filter(processing__media=media).values("pk", "file"))
    monkeypatch.setattr(services, "transcode", lambda *a, **k: pytest.fail("transcoded again"))
    assert services.process(media.pk) == "unchanged"
    assert (
        list(VideoRendition.objects.filter(processing__media=media).values("pk", "file")) == before
    )
    assert VideoProcessing.objects.get(media=media).state == VideoProcessing.State.READY


def test_editing_the_title_queues_nothing(on_commit, tmp_path, monkeypatch):
    media = video_media(make_video(tmp_path, size="320x180"), on_commit)
    monkeypatch.setattr(services, "process", lambda media_id: pytest.fail("queued again"))
    media.title = "عنوان تازه"
    on_commit(media.save)


def test_a_new_file_replaces_the_old_renditions(on_commit, tmp_path):
    media = video_media(make_video(tmp_path, "a.mp4", size="320x180"), on_commit)
    (old,) = VideoRendition.objects.filter(processing__media=media)
    old_name, storage = old.file.name, old.file.storage

    def replace():
        with open(make_video(tmp_path, "b.mp4", size="480x270"), "rb") as fh:
            media.file.save("b.mp4", File(fh), save=False)
        media.save()

    on_commit(replace)
    (new,) = VideoRendition.objects.filter(processing__media=media)
    assert (new.width, new.height) == (480, 270)
    assert not storage.exists(old_name)


def test_a_file_that_is_not_a_video_fails_with_its_reason(on_commit):
    require_ffmpeg()

    def create():
        media = Media(title="خراب", type="video")
        media.file.save(
            "broken.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\0" * 99), save=False
        )
        media.save()
        return media

    media = on_commit(create)
    row = VideoProcessing.objects.get(media=media)
    assert (row.state, row.reason) == ("failed", "not_a_video")
    assert not row.renditions.exists()


def test_a_transcode_over_the_time_limit_fails_and_leaves_no_temporary_files(
    on_commit, tmp_path, settings
):
    path = make_video(tmp_path, size="640x360", seconds=3)
    before = _tmp_folders()
    settings.VIDEO_TRANSCODE_TIME_LIMIT = 0.3
    media = video_media(path, on_commit)
    row = VideoProcessing.objects.get(media=media)
    assert (row.state, row.reason) == ("failed", "timeout")
    assert _tmp_folders() == before


def test_a_video_being_processed_elsewhere_is_left_alone(on_commit, tmp_path, settings):
    settings.VIDEO_PROCESSING = False  # create it without running the task
    media = video_media(make_video(tmp_path, size="320x180"), on_commit)
    from django.utils import timezone

    VideoProcessing.objects.create(media=media, state="processing", started_at=timezone.now())
    assert services.process(media.pk) == "busy"


def test_a_stale_temporary_folder_is_swept(tmp_path):
    import os
    import time

    folder = Path(tempfile.mkdtemp(prefix=services.TMP_PREFIX))
    (folder / "source.mp4").write_bytes(b"x")
    old = time.time() - 10 * 24 * 3600
    os.utime(folder, (old, old))
    services.sweep_stale_tmp()
    assert not folder.exists()


def test_a_missing_ffmpeg_is_a_reason_not_a_crash(on_commit, tmp_path, settings):
    path = make_video(tmp_path, size="320x180")
    settings.VIDEO_FFMPEG = "/nonexistent/ffmpeg"
    media = video_media(path, on_commit)
    row = VideoProcessing.objects.get(media=media)
    assert (row.state, row.reason) == ("failed", "no_ffmpeg")


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    head=st.sampled_from([b"\x00\x00\x00\x18ftypmp42", b"\x1a\x45\xdf\xa3", b"", b"RIFF"]),
    body=st.binary(max_size=4096),
)
def test_any_bytes_are_a_video_or_a_clear_refusal(head, body):
    """Whatever an upload holds, probing ends in a VideoInfo or NOT_A_VIDEO, never a crash."""
    require_ffmpeg()
    upload = SimpleUploadedFile("clip.mp4", head + body, content_type="video/mp4")
    try:
        info = services.probe_upload(upload)
    except VideoError as refused:
        assert refused.reason == VideoProcessing.Reason.NOT_A_VIDEO
    else:
        assert info.width > 0 and info.height > 0 and info.duration > 0
