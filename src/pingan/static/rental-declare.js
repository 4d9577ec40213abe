// The public declaration page: a camera picture of the ID card larger than the server takes is shrunk in the
// browser (to a JPEG of at most 1600 px) before it is sent. Without script the server's limit answers.
(function () {
  "use strict";
  function shrink(file, maxBytes) {
    return new Promise(function (resolve) {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        (function attempt(quality) {
          canvas.toBlob(function (blob) {
            if (blob && blob.size > maxBytes && quality > 0.4) { attempt(quality - 0.15); return; }
            resolve(blob);
          }, "image/jpeg", quality);
        })(0.85);
      };
      img.onerror = function () { resolve(null); };
      var reader = new FileReader();  // a data: address: the page's policy allows no blob: images
      reader.onload = function () { img.src = reader.result; };
      reader.onerror = function () { resolve(null); };
      reader.readAsDataURL(file);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("f-id-photo");
    if (!input || typeof DataTransfer === "undefined") { return; }
    var maxBytes = parseInt(input.dataset.maxBytes, 10);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || file.size <= maxBytes) { return; }
      shrink(file, maxBytes).then(function (blob) {
        if (!blob || blob.size > maxBytes) { return; }  // the server refuses it with a clear message
        var smaller = new DataTransfer();
        smaller.items.add(new File([blob], "id-card.jpg", { type: "image/jpeg" }));
        input.files = smaller.files;
      });
    });
  });
})();
