import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from memos.api.v1 import user_service_pb2 as _user_service_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetCurrentUserRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCurrentUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_service_pb2.User
    def __init__(self, user: _Optional[_Union[_user_service_pb2.User, _Mapping]] = ...) -> None: ...

class SignInRequest(_message.Message):
    __slots__ = ("password_credentials", "sso_credentials")
    class PasswordCredentials(_message.Message):
        __slots__ = ("username", "password")
        USERNAME_FIELD_NUMBER: _ClassVar[int]
        PASSWORD_FIELD_NUMBER: _ClassVar[int]
        username: str
        password: str
        def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...
    class SSOCredentials(_message.Message):
        __slots__ = ("idp_id", "code", "redirect_uri", "code_verifier")
        IDP_ID_FIELD_NUMBER: _ClassVar[int]
        CODE_FIELD_NUMBER: _ClassVar[int]
        REDIRECT_URI_FIELD_NUMBER: _ClassVar[int]
        CODE_VERIFIER_FIELD_NUMBER: _ClassVar[int]
        idp_id: int
        code: str
        redirect_uri: str
        code_verifier: str
        def __init__(self, idp_id: _Optional[int] = ..., code: _Optional[str] = ..., redirect_uri: _Optional[str] = ..., code_verifier: _Optional[str] = ...) -> None: ...
    PASSWORD_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    SSO_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    password_credentials: SignInRequest.PasswordCredentials
    sso_credentials: SignInRequest.SSOCredentials
    def __init__(self, password_credentials: _Optional[_Union[SignInRequest.PasswordCredentials, _Mapping]] = ..., sso_credentials: _Optional[_Union[SignInRequest.SSOCredentials, _Mapping]] = ...) -> None: ...

class SignInResponse(_message.Message):
    __slots__ = ("user", "access_token", "access_token_expires_at")
    USER_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ACCESS_TOKEN_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    user: _user_service_pb2.User
    access_token: str
    access_token_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, user: _Optional[_Union[_user_service_pb2.User, _Mapping]] = ..., access_token: _Optional[str] = ..., access_token_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SignOutRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RefreshTokenRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RefreshTokenResponse(_message.Message):
    __slots__ = ("access_token", "expires_at")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, access_token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
