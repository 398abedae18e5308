"""Upload and confirm forms of the Excel import pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField, ValidationError

from webapp.imports.reading import FileRejected, PackageTooLarge, check_package


def unpacks_within_limits(_form: FlaskForm, field: FileField) -> None:
    """Refuse a workbook that would unpack too large (a zip bomb) before it is even kept."""
    try:
        check_package(field.data.stream)
    except PackageTooLarge as exc:
        raise ValidationError(str(exc)) from None
    except FileRejected:
        pass  # not a zip at all: the check step says so on the job's page


class UploadForm(FlaskForm):
    """Pick an .xlsx file; optionally update the records it matches."""

    file = FileField(
        _l("Excel 文件"),
        validators=[
            FileRequired(_l("请选择要导入的文件")),
            FileAllowed(["xlsx"], _l("只能导入 .xlsx 格式的 Excel 文件")),
            unpacks_within_limits,
        ],
    )
    update_existing = BooleanField(_l("是否更新已经存在的数据"))
    submit = SubmitField(_l("上传并预览"))


class ConfirmForm(FlaskForm):
    """Confirm or cancel a previewed import (the CSRF token is the content)."""

    submit = SubmitField(_l("确认导入"))
