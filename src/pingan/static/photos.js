// Photos from a phone's camera are several megabytes. A file field with data-max-bytes has each picture larger
// than that shrunk in the browser (to a JPEG of at most 1600 px) as soon as it is chosen; the field's
// `pinganShrinking` promise says when that is done. Without script the server's limit answers.
window.pinganPhotos = (function () {
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
  // Each picture over the limit replaced by its smaller JPEG; one that cannot be shrunk enough stays as it is,
  // for the server to refuse with a clear message.
  function fit(input) {
    var maxBytes = parseInt(input.dataset.maxBytes, 10);
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.some(function (file) { return file.size > maxBytes; })) { return Promise.resolve(); }
    return Promise.all(files.map(function (file) {
      if (file.size <= maxBytes) { return file; }
      return shrink(file, maxBytes).then(function (blob) {
        if (!blob || blob.size > maxBytes) { return file; }
        return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
      });
    })).then(function (fitted) {
      var smaller = new DataTransfer();
      fitted.forEach(function (file) { smaller.items.add(file); });
      input.files = smaller.files;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof DataTransfer === "undefined") { return; }
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () { input.pinganShrinking = fit(input); });
    });
  });
  return { shrink: shrink };
})();
