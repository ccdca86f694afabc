from .tasks import (
    ApprovalView,
    CompleteView,
    HeadApprovalView,
    PrepareView,
    ReviewView,
    StartView,
    WardReviewView,
)

__all__ = [
    "ApprovalView",
    "CompleteView",
    "HeadApprovalView",
    "PrepareView",
    "ReviewView",
    "StartView",
    "WardReviewView",
]
