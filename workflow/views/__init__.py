from .tasks import (
    CompleteView,
    HeadApprovalView,
    PrepareView,
    ReviewView,
    StartView,
    WardReviewView,
)

__all__ = [
    "CompleteView",
    "HeadApprovalView",
    "PrepareView",
    "ReviewView",
    "StartView",
    "WardReviewView",
]
