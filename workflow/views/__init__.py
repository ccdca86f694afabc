from .tasks import (
    ApprovalView,
    CompleteView,
    CouncilView,
    HeadApprovalView,
    PrepareView,
    ReviewView,
    StartView,
    WardReviewView,
)

__all__ = [
    "ApprovalView",
    "CompleteView",
    "CouncilView",
    "HeadApprovalView",
    "PrepareView",
    "ReviewView",
    "StartView",
    "WardReviewView",
]
